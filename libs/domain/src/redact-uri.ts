const SCHEME_AND_REST = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(.*)$/s;
const SECRET_PARAMS = /([?&;](?:password|passwd|pass|pwd|secret|token|key|passphrase)=)[^&#;]*/gi;

/**
 * A URI safe to print in logs and messages (backend store, artifact destination): the user-info
 * part becomes `***@` and secret-looking query parameters `***`. Everything up to the LAST `@` is treated as user info, because passwords
 * are often pasted unencoded (`ftp://u:p@ss/w@host/`); a path that itself contains `@` is over-redacted,
 * which is the safe side.
 */
export function redactUri(uri: string): string {
  let out = uri;
  const match = SCHEME_AND_REST.exec(out);
  if (match) {
    const [, scheme, rest] = match;
    const at = rest.lastIndexOf('@');
    out = at >= 0 ? `${scheme}***@${rest.slice(at + 1)}` : `${scheme}${rest}`;
  }
  return out.replace(SECRET_PARAMS, '$1***');
}
