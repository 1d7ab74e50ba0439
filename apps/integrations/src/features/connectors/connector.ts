// The one small interface every source of tasks implements. A connector knows its provider's
// protocol and nothing of our database: the sync engine hands it the stored cursor and a fresh
// access token, and commits what it returns (tasks, the next cursor) in one transaction.

/** Sources of tasks, as in `signals.task.upserted.source`. */
export const PROVIDERS = ['todoist', 'google_tasks', 'ics'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Priority on our one scale: 1 most urgent … 4 normal (also "none"). */
export type Priority = 1 | 2 | 3 | 4;

/** A task as the recommender's candidates need it, whatever its source. */
export interface NormalisedTask {
  /** The task's id at its source; unique within one connection. */
  externalId: string;
  title: string;
  priority: Priority;
  /** Unset: no due date. A date without a time is the start of that day in the task's (or the user's) time zone. */
  dueAt: Date | null;
  /** True when the source gave a date without a time of day. */
  dueAllDay: boolean;
  createdAt: Date | null;
  /** When it last changed at the source; null when the source does not say. */
  updatedAt: Date | null;
  /** Link that opens the task at its source; '' when there is none. */
  url: string;
  /** How long the task takes, where the source says. */
  estimatedMinutes: number | null;
}

/** One change seen at the source. Completed and deleted tasks are both `delete`. */
export type TaskChange = { kind: 'upsert'; task: NormalisedTask } | { kind: 'delete'; externalId: string };

/** A stretch of time the user is busy (a calendar event), for context. */
export interface BusyInterval {
  /** The event's UID, with the occurrence's start for an expanded recurrence. */
  externalId: string;
  startsAt: Date;
  endsAt: Date;
  title: string;
}

/** What one call of `listChanges` found. */
export interface ChangePage {
  changes: TaskChange[];
  /**
   * True when the pages of this sync together list every open task the source has (a first sync,
   * a full resync, a whole calendar feed): tasks of the connection that none of them listed are
   * deleted once the last page is committed.
   */
  complete: boolean;
  /** Where the next call starts; stored with this page's tasks in one transaction. */
  cursor: string | null;
  /** Another page follows now (call again with `cursor`); false: this sync is done. */
  more: boolean;
  /** Busy times within the connector's horizon, replacing the stored ones; absent: unchanged. */
  busy?: BusyInterval[];
}

/** What a connector is given for one call. */
export interface SyncRequest {
  /** The cursor the last committed page returned; null on the first sync (or after a reset). */
  cursor: string | null;
  /** A valid access token for OAuth sources; null for sources without sign-in (ICS). */
  accessToken: string | null;
  /** The connection's own settings, e.g. `{ url }` for a calendar feed. */
  settings: Readonly<Record<string, string>>;
  /** The user's IANA time zone, for dates without a zone. */
  timeZone: string;
  now: Date;
  signal?: AbortSignal;
}

/** A source of tasks. */
export interface Connector {
  readonly provider: Provider;
  /** Lists what changed since `request.cursor`; throws a ConnectorError when the source refuses or fails. */
  listChanges(request: SyncRequest): Promise<ChangePage>;
}

/**
 * How a source failed, which decides what the sync engine does next:
 * - `auth`: the token is refused (401, `invalid_grant`): the connection needs the user to sign in again.
 * - `rate_limited`: 429 (or a provider's equivalent): try again after `retryAfterMs`.
 * - `unavailable`: 5xx, a timeout, a refused connection: back off and try again, cursor kept.
 * - `invalid`: the source answered something we cannot use, or refused the request for good
 *   (a 404 feed, a malformed calendar): the connection shows the error; retried slowly.
 */
export type ConnectorFailure = 'auth' | 'rate_limited' | 'unavailable' | 'invalid';

/**
 * A source refusing or failing, with a message a person can act on (shown as the connection's
 * last error; never contains a token).
 *
 * @example
 * throw new ConnectorError('rate_limited', 'Todoist asks us to wait 30 s', { retryAfterMs: 30_000 });
 */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(
    readonly failure: ConnectorFailure,
    message: string,
    options: { retryAfterMs?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** What an OAuth source needs for the connect flow and token refresh (the engine runs the flow). */
export interface OAuthProvider {
  readonly provider: Provider;
  /** For messages: `Todoist`, `Google Tasks`. */
  readonly displayName: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly scopes: readonly string[];
  /** How the scopes are joined in the authorization request: RFC 6749 says spaces; Todoist wants commas. */
  readonly scopeSeparator?: string;
  /** Sends a PKCE challenge (S256) with the authorization request. */
  readonly pkce: boolean;
  /** Extra authorization parameters, e.g. `access_type=offline` for a refresh token. */
  readonly authorizationParams: Readonly<Record<string, string>>;
  /** How the client authenticates at the token endpoint. */
  readonly clientAuth: 'client_secret_post' | 'client_secret_basic';
  /** Revokes a token at the provider where it has an endpoint for it; undefined: nothing to call. */
  revoke?(token: { accessToken: string; refreshToken: string | null }, client: { clientId: string; clientSecret: string }): Promise<void>;
}
