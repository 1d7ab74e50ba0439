/** A simulated user signed in at auth (through the gateway): auth's user id and the app's tokens. */
export interface UserSession {
  /** Auth's id for the user (the access token's `sub`); every service call and event uses it. */
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: Date;
}

/** Signs a person in under a name (the local identity provider takes any name). */
export type SignInFn = (name: string) => Promise<UserSession>;
/** Trades a refresh token for new tokens (the old refresh token is spent). */
export type RefreshFn = (refreshToken: string) => Promise<UserSession>;

/** One user's tokens, renewed shortly before they expire. */
export interface KeptSession {
  readonly name: string;
  readonly userId: string;
  /** A bearer token valid for a while yet; renews first when the current one is about to expire. */
  accessToken(): Promise<string>;
}

export interface KeepSessionOptions {
  readonly signIn: SignInFn;
  /** Without it a session is renewed by signing in again under the same name. */
  readonly refresh?: RefreshFn;
  /** The wall clock the tokens' `expiresAt` is on (default Date.now). */
  readonly now?: () => number;
  /** Renew this long before `expiresAt` (default 60 s; at most half a token's lifetime). */
  readonly renewBeforeMs?: number;
}

/** Signing in, or renewing a session, failed or came back as someone else. */
export class SessionError extends Error {
  readonly code = 'PIPELINES_SESSION_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionError';
  }
}

/**
 * Signs `name` in and keeps the session alive: a simulation outlives a 10-minute access token, so
 * `accessToken()` renews with the refresh token once the token is within `renewBeforeMs` of
 * expiring. Concurrent callers share one renewal (a refresh token is spent on use).
 *
 * @example
 * const ada = await keepSession('sim-r1-u0', { signIn: (n) => signInDevUser(gateway, n), refresh });
 * await fetch(url, { headers: { authorization: `Bearer ${await ada.accessToken()}` } });
 */
export async function keepSession(name: string, options: KeepSessionOptions): Promise<KeptSession> {
  const now = options.now ?? Date.now;
  const guarded = async (what: string, run: () => Promise<UserSession>): Promise<UserSession> => {
    try {
      return await run();
    } catch (cause) {
      throw new SessionError(`${what} ${name} failed: ${reasonOf(cause)}`, { cause });
    }
  };
  const first = await guarded('signing in', () => options.signIn(name));
  let current = first;
  let renewAt = renewalTime(first, now(), options.renewBeforeMs ?? 60_000);
  let renewing: Promise<UserSession> | undefined;

  const renew = async (): Promise<UserSession> => {
    const next = options.refresh
      ? await guarded('renewing the session of', () => (options.refresh as RefreshFn)(current.refreshToken))
      : await guarded('signing in again', () => options.signIn(name));
    // Everything the simulation sent so far is filed under the first id; a new one would split the user.
    if (next.userId !== first.userId) throw new SessionError(`renewing the session of ${name} gave user ${next.userId}, not ${first.userId}`);
    return next;
  };

  return {
    name,
    userId: first.userId,
    accessToken: async () => {
      if (now() < renewAt) return current.accessToken;
      renewing ??= renew()
        .then((next) => {
          current = next;
          renewAt = renewalTime(next, now(), options.renewBeforeMs ?? 60_000);
          return next;
        })
        .finally(() => {
          renewing = undefined;
        });
      return (await renewing).accessToken;
    },
  };
}

// fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause.
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}

// A token that lives shorter than twice the margin is renewed halfway through its life instead,
// so a short-lived token does not renew on every call.
function renewalTime(session: UserSession, issuedAt: number, renewBeforeMs: number): number {
  const expiresAt = session.expiresAt.getTime();
  return expiresAt - Math.min(renewBeforeMs, Math.max(0, (expiresAt - issuedAt) / 2));
}

/**
 * Signs every name in (eight at a time: each sign-in is a handful of round trips) and checks that
 * no two names came back as the same user. The sessions are in the order of `names`.
 *
 * @example
 * const sessions = await keepSessions(['sim-r1-u0', 'sim-r1-u1'], { signIn, refresh });
 */
export async function keepSessions(names: readonly string[], options: KeepSessionOptions): Promise<KeptSession[]> {
  const sessions: KeptSession[] = [];
  for (let i = 0; i < names.length; i += 8) {
    sessions.push(...(await Promise.all(names.slice(i, i + 8).map((name) => keepSession(name, options)))));
  }
  const owner = new Map<string, string>();
  for (const s of sessions) {
    const other = owner.get(s.userId);
    if (other !== undefined) throw new SessionError(`${other} and ${s.name} signed in as the same user ${s.userId}`);
    owner.set(s.userId, s.name);
  }
  return sessions;
}
