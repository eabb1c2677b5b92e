import { artifactMimeType, attachmentDisposition } from './artifact-download';

describe('artifactMimeType', () => {
  it.each([
    ['hello.txt', 'text/plain'],
    ['nested.json', 'text/plain'],
    ['conda.yaml', 'text/plain'],
    ['MLmodel', 'text/plain'],
    ['mlproject', 'text/plain'],
    ['MLproject', 'application/octet-stream'],
    ['page.html', 'text/html'],
    ['plot.png', 'image/png'],
    ['PLOT.PNG', 'image/png'],
    ['figure.svg', 'image/svg+xml'],
    ['data.bin', 'application/octet-stream'],
    ['model.pkl', 'application/octet-stream'],
    ['weights.h5', 'application/x-hdf5'],
    ['bundle.tar.gz', 'application/x-tar'],
    ['bundle.tgz', 'application/x-tar'],
    ['model.pkl.gz', 'application/octet-stream'],
    ['NOTES.TXT', 'text/plain'],
    ['.bashrc', 'application/octet-stream'],
    ['no-extension', 'application/octet-stream'],
  ])('%s is %s', (name, type) => {
    expect(artifactMimeType(name)).toBe(type);
  });
});

describe('attachmentDisposition', () => {
  it('writes plain names as MLflow does', () => {
    expect(attachmentDisposition('hello.txt')).toBe('attachment; filename=hello.txt');
  });

  it('quotes an ASCII fallback and adds the RFC 5987 form for other names', () => {
    expect(attachmentDisposition('my report (v2).pdf')).toBe(
      `attachment; filename="my report (v2).pdf"; filename*=UTF-8''my%20report%20%28v2%29.pdf`,
    );
    expect(attachmentDisposition('grüße €.txt')).toBe(
      `attachment; filename="gr__e _.txt"; filename*=UTF-8''gr%C3%BC%C3%9Fe%20%E2%82%AC.txt`,
    );
  });

  it('removes CR, LF, other controls, quotes and backslashes', () => {
    const header = attachmentDisposition('a"b\r\nSet-Cookie: x=1\\.txt');
    expect(header).not.toMatch(/[\r\n\\]/);
    expect(header).toBe(
      `attachment; filename="abSet-Cookie: x=1.txt"; filename*=UTF-8''abSet-Cookie%3A%20x%3D1.txt`,
    );
  });

  it('never lets a percent sign be decoded by a lenient client', () => {
    expect(attachmentDisposition('100%.txt')).toBe(
      `attachment; filename="100_.txt"; filename*=UTF-8''100%25.txt`,
    );
  });
});
