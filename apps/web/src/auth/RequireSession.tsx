import { useQuery } from '@tanstack/react-query';
import { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { ApiError } from '../api/client';
import { ErrorView } from '../components/ErrorView';
import { Loading } from '../components/Loading';
import { useSession } from './useSession';

/**
 * With auth on, an anonymous caller is sent to the sign-in page (and back afterwards). The probe
 * is the cheapest signed-in read, `/version`; with auth off it answers without credentials.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const probe = useQuery({
    queryKey: ['auth-probe', session?.tokenId ?? null],
    queryFn: ({ signal }) =>
      fetch('/version', {
        headers: session ? { authorization: `Bearer ${session.secret}` } : {},
        // Without credentials the browser shows no login dialog for the server's Basic challenge
        // (the fetch standard prompts only for credentialed requests): the 401 reaches us.
        credentials: 'omit',
        signal,
      }).then((r) => {
        if (r.status === 401) throw new ApiError(401, 'UNAUTHENTICATED', 'Sign in required.');
        return r.ok;
      }),
    retry: false,
    staleTime: Infinity,
  });
  if (probe.isPending) return <Loading what="the server" />;
  if (probe.error instanceof ApiError && probe.error.isUnauthenticated) {
    const back = location.pathname + location.search;
    return <Navigate to={`/signin?next=${encodeURIComponent(back)}`} replace />;
  }
  if (probe.error) return <ErrorView error={probe.error} />;
  return <>{children}</>;
}
