/**
 * The signed-in user of this tab: an API token minted at sign-in (the password itself is sent
 * once, to `tokens/create`, and never stored), kept in sessionStorage so it dies with the tab,
 * and revoked at sign-out.
 */
export interface Session {
  username: string;
  isAdmin: boolean;
  tokenId: number;
  secret: string;
  expiresAt?: number;
}

const KEY = 'flops.session';
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const text = sessionStorage.getItem(KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}

let session: Session | null = read();

export function currentSession(): Session | null {
  if (session?.expiresAt !== undefined && session.expiresAt <= Date.now()) setSession(null);
  return session;
}

export function currentCredentials(): string | undefined {
  const s = currentSession();
  return s ? `Bearer ${s.secret}` : undefined;
}

export function setSession(next: Session | null): void {
  session = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

/** A 401 on a call made with the session's token: it expired or was revoked. */
export function onSignedOut(): void {
  if (session) setSession(null);
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function basicCredentials(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
