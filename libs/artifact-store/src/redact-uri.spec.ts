import { redactUri, scrubSecrets } from './redact-uri';

describe(redactUri.name, () => {
  it.each([
    ['ftp://user:pass@host:21/root', 'ftp://***@host:21/root'],
    ['sftp://user:p@ss/w@rd@host/root', 'sftp://***@host/root'],
    ['ftp://user@host/root', 'ftp://***@host/root'],
    ['ftp://host/root', 'ftp://host/root'],
    ['FTPS://u:p@h', 'FTPS://***@h'],
    ['s3://b/k?password=x&region=eu', 's3://b/k?password=***&region=eu'],
    ['https://h/p?token=abc#frag', 'https://h/p?token=***#frag'],
    ['file:./data/artifacts', 'file:./data/artifacts'],
    ['/plain/path', '/plain/path'],
  ])('%s -> %s', (uri, redacted) => {
    expect(redactUri(uri)).toBe(redacted);
  });
});

describe(scrubSecrets.name, () => {
  it('removes secrets in plain and percent-encoded form', () => {
    expect(scrubSecrets('login p@ss failed (p%40ss)', ['p@ss', undefined, ''])).toBe(
      'login *** failed (***)',
    );
  });
});
