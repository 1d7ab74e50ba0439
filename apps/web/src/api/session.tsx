import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, rememberCsrfToken } from './api-client';
import { ApiProblem, unwrap } from './problem';

/** Who is signed in, as the app needs it. */
export interface Session {
  userId: string;
  displayName: string;
  isAdmin: boolean;
}

const SessionContext = createContext<Session | null>(null);

// No session (401) is an answer, not an error: the app shows its sign-in page.
async function loadSession(): Promise<Session | null> {
  try {
    const session = await unwrap(api.GET('/v1/auth/session'));
    rememberCsrfToken(session.csrfToken);
    const me = await unwrap(api.GET('/v1/me'));
    return { userId: me.id, displayName: me.displayName ?? me.id, isAdmin: me.roles.includes('admin') };
  } catch (err) {
    if (err instanceof ApiProblem && err.status === 401) return null;
    throw err;
  }
}

export const SESSION_KEY = ['session'] as const;

/** Loads the web session once; the children see it through `useSession`, or `signedOut` renders. */
export function SessionGate({ signedOut, failed, children }: { signedOut: ReactNode; failed: (error: unknown) => ReactNode; children: ReactNode }) {
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: Infinity, retry: false });
  if (session.isPending) return <p role="status">Loading…</p>;
  if (session.isError) return <>{failed(session.error)}</>;
  if (!session.data) return <>{signedOut}</>;
  return <SessionContext.Provider value={session.data}>{children}</SessionContext.Provider>;
}

/** The signed-in person (only inside `SessionGate`). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is only for screens behind the sign-in');
  return session;
}

/** Ends the session at the gateway and forgets everything loaded for it. */
export function useSignOut(): () => Promise<void> {
  const queries = useQueryClient();
  return async () => {
    await unwrap(api.POST('/v1/auth/sign-out', {}));
    rememberCsrfToken(undefined);
    queries.clear();
    queries.setQueryData(SESSION_KEY, null);
  };
}
