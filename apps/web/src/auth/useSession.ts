import { useSyncExternalStore } from 'react';

import { currentSession, Session, subscribe } from './session';

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, currentSession, () => null);
}
