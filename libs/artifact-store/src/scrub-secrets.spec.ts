import { scrubSecrets } from './scrub-secrets';

describe(scrubSecrets.name, () => {
  it('removes secrets in plain and percent-encoded form', () => {
    expect(scrubSecrets('login p@ss failed (p%40ss)', ['p@ss', undefined, ''])).toBe(
      'login *** failed (***)',
    );
  });
});
