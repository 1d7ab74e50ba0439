import type { EventOperations } from '../features/event-operations/event-operations';
import type { CookieNames } from '../features/session/cookies';
import type { SessionExchange } from '../features/session/session-exchange';
import type { AuthClient } from '../upstream/auth-client';
import type { UpstreamClient } from '../upstream/upstream-client';

/** What the route handlers use: the upstreams, the session exchange and the cookie names. */
export interface RouteDeps {
  auth: AuthClient;
  profile: UpstreamClient;
  recommender: UpstreamClient;
  integrations: UpstreamClient;
  notifier: UpstreamClient;
  /** Policy promotion (ADR 0019); admins only. */
  mlServing: UpstreamClient;
  sessions: SessionExchange;
  cookies: CookieNames;
  /** PUBLIC_URL: the callback URL the provider redirected to is rebuilt from it. */
  publicUrl: string;
  /** How recent a sign-in must be for a destructive route (REAUTH_MAX_AGE_MS), and the clock to judge it by. */
  reauthMaxAgeMs: number;
  clock: () => Date;
  /** Consumer lag and dead letters, for the admin console. */
  events: EventOperations;
}

/** A query string from validated parameters (undefined ones left out), with its `?`. */
export function queryString(query: Record<string, string | number | undefined> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A path segment for a validated id. */
export const seg = (value: string) => encodeURIComponent(value);
