import { post, request } from '../api/client';
import { basicCredentials, currentSession, Session, setSession } from './session';

const AUTH = '/api/2.0/mlflow';
const TOKEN_LIFETIME_SECONDS = 12 * 3600;

interface UserJson {
  username: string;
  is_admin: boolean;
}

/** Checks the password once by minting a token with it; the token is what the tab keeps. */
export async function signIn(username: string, password: string): Promise<Session> {
  const authorization = basicCredentials(username, password);
  const { user } = await request<{ user: UserJson }>('GET', `${AUTH}/users/get`, {
    query: { username },
    authorization,
  });
  const created = await request<{
    token: { id: number; expiration_time?: number };
    secret: string;
  }>('POST', `${AUTH}/tokens/create`, {
    body: { name: 'web UI sign-in', expires_in_seconds: TOKEN_LIFETIME_SECONDS },
    authorization,
  });
  const session: Session = {
    username: user.username,
    isAdmin: user.is_admin,
    tokenId: created.token.id,
    secret: created.secret,
    expiresAt: created.token.expiration_time,
  };
  setSession(session);
  return session;
}

export async function signOut(): Promise<void> {
  const session = currentSession();
  try {
    if (session) await post(`${AUTH}/tokens/revoke`, { token_id: session.tokenId });
  } finally {
    setSession(null);
  }
}
