import { redactUri } from './redact-uri';

describe(redactUri.name, () => {
  it.each([
    ['ftp://user:pass@host:21/root', 'ftp://***@host:21/root'],
    ['sftp://user:p@ss/w@rd@host/root', 'sftp://***@host/root'],
    ['ftp://user@host/root', 'ftp://***@host/root'],
    ['ftp://host/root', 'ftp://host/root'],
    ['mysql://root:secret@db:3306/x', 'mysql://***@db:3306/x'],
    ['mysql+pymysql://root:p@ss/w0rd@db/x', 'mysql+pymysql://***@db/x'],
    ['sqlite:///data/x.db', 'sqlite:///data/x.db'],
    ['FTPS://u:p@h', 'FTPS://***@h'],
    ['s3://b/k?password=x&region=eu', 's3://b/k?password=***&region=eu'],
    ['https://h/p?token=abc#frag', 'https://h/p?token=***#frag'],
    ['file:./data/artifacts', 'file:./data/artifacts'],
    ['/plain/path', '/plain/path'],
  ])('%s -> %s', (uri, redacted) => {
    expect(redactUri(uri)).toBe(redacted);
  });
});
