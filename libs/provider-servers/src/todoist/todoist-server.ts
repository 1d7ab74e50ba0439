// A local Todoist that follows the documented protocol of Todoist API v1: the OAuth
// authorization-code flow (`/oauth/authorize`, `/oauth/access_token`), token revocation
// (`POST /api/v1/revoke` per RFC 7009, and `DELETE /api/v1/access_tokens`), and the incremental
// `POST /api/v1/sync` for items. The authorize step signs an account in without a page.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError, basicCredentials, invalid, missing, readParams, redirect, resourceTypes, send, text, type Params } from './todoist-http';
import { createTodoistStore, type TodoistTask, type TodoistTaskInput, type TodoistTaskPatch } from './todoist-store';

export type { TodoistDueDate, TodoistTask, TodoistTaskInput, TodoistTaskPatch } from './todoist-store';

/** An app registered in Todoist's App Management Console. */
export interface TodoistAppRegistration {
  clientId: string;
  clientSecret: string;
  /** The configured redirect URLs; unset: any the authorization request names. */
  redirectUris?: readonly string[];
}

export interface TodoistServerOptions {
  /** 0 (the default): a free port. */
  port?: number;
  app?: TodoistAppRegistration;
  /** The account the authorize step signs in when the request names none (`?user=`, this server's own extension). */
  user?: string;
  clock?: () => Date;
}

/** An answer to inject instead of the next API requests' (sync, revocation). */
export interface TodoistFailure {
  status: number;
  /** `Retry-After`: seconds, or an HTTP date as a string. */
  retryAfter?: number | string;
  /** How many requests in a row get it; 1 by default. */
  times?: number;
}

export interface TodoistServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  /** The API base, like `https://api.todoist.com/api/v1`. */
  readonly apiUrl: string;
  readonly app: TodoistAppRegistration;
  /** The settings that point the integrations service at this stand-in (TODOIST_CLIENT_ID, …_API_URL). */
  readonly integrationsEnv: Readonly<Record<string, string>>;
  /** Requests seen per endpoint, failed ones included. */
  readonly requests: Readonly<Record<'authorize' | 'token' | 'revoke' | 'sync', number>>;
  /** The account later authorize requests sign in (unless they name one). */
  signIn(user: string): void;
  /** Whether the signed-in user grants (the default) or denies the next authorization requests. */
  consent(answer: 'grant' | 'deny'): void;
  /** An access token for an account without the OAuth round trip. */
  issueToken(user?: string): string;
  addTask(input: TodoistTaskInput): TodoistTask;
  updateTask(id: string, patch: TodoistTaskPatch): TodoistTask;
  completeTask(id: string): TodoistTask;
  deleteTask(id: string): TodoistTask;
  revokeAllTokens(): void;
  failNext(failure: TodoistFailure): void;
  stop(): Promise<void>;
}

const SCOPES = new Set(['task:add', 'data:read', 'data:read_write', 'data:delete', 'project:delete', 'backups:read']);
const CODE_TTL_MS = 10 * 60_000;

/**
 * Starts a local Todoist on 127.0.0.1 with one registered app (`local-todoist-client` /
 * `local-todoist-secret` unless given) and an empty account.
 *
 * @example
 * const todoist = await startTodoistServer();
 * todoist.addTask({ content: 'Buy milk', priority: 4 });
 * const connector = createTodoistConnector({ apiUrl: todoist.apiUrl });
 * await connector.listChanges({ cursor: null, accessToken: todoist.issueToken(), settings: {}, timeZone: 'UTC', now: new Date() });
 * await todoist.stop();
 */
export async function startTodoistServer(options: TodoistServerOptions = {}): Promise<TodoistServer> {
  const app: TodoistAppRegistration = options.app ?? { clientId: 'local-todoist-client', clientSecret: 'local-todoist-secret' };
  const clock = options.clock ?? (() => new Date());
  let user = options.user ?? 'local-todoist-user';
  const store = createTodoistStore(clock, user);
  const requests = { authorize: 0, token: 0, revoke: 0, sync: 0 };
  let answer: 'grant' | 'deny' = 'grant';
  let failure: (TodoistFailure & { left: number }) | undefined;

  // RFC 6749 §4.1.2.1: a bad client or redirect URI is told to the browser; anything else goes back to the app.
  function authorize(res: ServerResponse, query: URLSearchParams): void {
    if (query.get('client_id') !== app.clientId) return send(res, 400, { error: 'invalid_client', error_description: 'unknown client_id' });
    const configured = app.redirectUris ?? [];
    const asked = query.get('redirect_uri');
    if (asked === null && configured.length > 1) return send(res, 400, { error: 'invalid_request', error_description: 'redirect_uri is required when several are configured' });
    const redirectUri = asked ?? configured[0];
    if (!redirectUri || !URL.canParse(redirectUri)) return send(res, 400, { error: 'redirect_uri_not_configured' });
    if (configured.length > 0 && !configured.includes(redirectUri)) return send(res, 400, { error: 'invalid_request', error_description: 'redirect_uri is not configured for this app' });
    const state = query.get('state');
    const back = (params: Record<string, string>) => redirect(res, redirectUri, state === null ? params : { ...params, state });
    if (!state) return back({ error: 'invalid_request' });
    const scopes = (query.get('scope') ?? '').split(',').map((s) => s.trim());
    if (!scopes.every((s) => SCOPES.has(s))) return back({ error: 'invalid_scope' });
    if (answer === 'deny') return back({ error: 'access_denied' });
    const code = store.issueCode({ user: query.get('user') ?? user, clientId: app.clientId, redirectUri }, CODE_TTL_MS);
    back({ code });
  }

  function exchange(res: ServerResponse, params: Params): void {
    if (params['client_id'] !== app.clientId || params['client_secret'] !== app.clientSecret) return send(res, 400, { error: 'incorrect_application_credentials' });
    const grantType = text(params['grant_type']);
    if (grantType !== undefined && grantType !== 'authorization_code') return send(res, 400, { error: 'unsupported_grant_type' });
    const grant = store.redeemCode(text(params['code']) ?? '');
    const redirectUri = text(params['redirect_uri']);
    if (!grant || grant.clientId !== app.clientId || (redirectUri !== undefined && redirectUri !== grant.redirectUri)) return send(res, 400, { error: 'bad_authorization_code' });
    send(res, 200, { access_token: store.issueAccessToken(grant.user, app.clientId), token_type: 'Bearer' });
  }

  function revoke(req: IncomingMessage, res: ServerResponse, params: Params): void {
    const client = basicCredentials(req);
    if (client?.clientId !== app.clientId || client.clientSecret !== app.clientSecret) {
      return send(res, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="todoist"' });
    }
    const token = text(params['token']);
    if (!token) return missing(res, 'token');
    store.revokeAccessToken(token, app.clientId);
    send(res, 200, null);
  }

  function revokeByQuery(res: ServerResponse, query: URLSearchParams): void {
    if (query.get('client_id') !== app.clientId || query.get('client_secret') !== app.clientSecret) return apiError(res, 401, 'Invalid client credentials', 401, 'AUTH_INVALID_CLIENT');
    const token = query.get('access_token');
    if (!token) return missing(res, 'access_token');
    store.revokeAccessToken(token, app.clientId);
    send(res, 200, null);
  }

  function sync(req: IncomingMessage, res: ServerResponse, params: Params): void {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const account = bearer === undefined ? undefined : store.userOf(bearer);
    if (account === undefined) return apiError(res, 401, 'Invalid token', 401, 'AUTH_INVALID_TOKEN');
    const syncToken = text(params['sync_token']);
    if (syncToken === undefined) return missing(res, 'sync_token');
    if (params['resource_types'] === undefined) return missing(res, 'resource_types');
    const types = resourceTypes(params['resource_types']);
    if (!types) return invalid(res, 'resource_types');
    // The documentation does not say what an unknown token does; this server answers with a full sync.
    const since = syncToken === '*' ? undefined : store.positionOf(account, syncToken);
    const withItems = (types.includes('items') || types.includes('all')) && !types.includes('-items');
    const items = since === undefined ? store.open(account) : store.changedSince(account, since);
    send(res, 200, {
      full_sync: since === undefined,
      ...(since === undefined ? { full_sync_date_utc: clock().toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
      ...(withItems ? { items } : {}),
      sync_token: store.mintSyncToken(account),
      temp_id_mapping: {},
    });
  }

  // An injected failure answers before anything else, as a rate limiter or a failing backend would.
  function injectedFailure(res: ServerResponse): boolean {
    if (!failure || failure.left <= 0) return false;
    failure.left -= 1;
    const { status, retryAfter } = failure;
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
    const extra = typeof retryAfter === 'number' ? { retry_after: retryAfter } : {};
    if (status === 429) apiError(res, 429, 'Too many requests', 429, 'TOO_MANY_REQUESTS', extra, headers);
    else if (status >= 500) apiError(res, status, 'Service unavailable', status, 'SERVICE_UNAVAILABLE', extra, headers);
    else apiError(res, status, 'Injected failure', status, 'INJECTED_FAILURE', extra, headers);
    return true;
  }

  const endpoints = {
    'GET /oauth/authorize': 'authorize',
    'POST /oauth/access_token': 'token',
    'POST /api/v1/revoke': 'revoke',
    'DELETE /api/v1/access_tokens': 'revoke',
    'POST /api/v1/sync': 'sync',
  } as const;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const endpoint = `${req.method ?? 'GET'} ${url.pathname}`;
    if (!(endpoint in endpoints)) return apiError(res, 404, 'Not found', 404, 'NOT_FOUND');
    const name = endpoints[endpoint as keyof typeof endpoints];
    requests[name] += 1;
    if (name === 'authorize') return authorize(res, url.searchParams);
    if (name !== 'token' && injectedFailure(res)) return;
    if (endpoint === 'DELETE /api/v1/access_tokens') return revokeByQuery(res, url.searchParams);
    const params = await readParams(req).catch(() => null);
    if (params === undefined) return apiError(res, 413, 'Request body too large', 413, 'PAYLOAD_TOO_LARGE');
    if (params === null) return apiError(res, 400, 'Invalid JSON body', 400, 'BAD_REQUEST');
    if (name === 'token') return exchange(res, params);
    if (name === 'revoke') return revoke(req, res, params);
    return sync(req, res, params);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) apiError(res, 500, error instanceof Error ? error.message : 'Internal error', 500, 'INTERNAL_ERROR');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    authorizeUrl: `${url}/oauth/authorize`,
    tokenUrl: `${url}/oauth/access_token`,
    apiUrl: `${url}/api/v1`,
    app,
    integrationsEnv: {
      TODOIST_CLIENT_ID: app.clientId,
      TODOIST_CLIENT_SECRET: app.clientSecret,
      TODOIST_AUTHORIZE_URL: `${url}/oauth/authorize`,
      TODOIST_TOKEN_URL: `${url}/oauth/access_token`,
      TODOIST_API_URL: `${url}/api/v1`,
    },
    requests,
    signIn: (next) => void (user = next),
    consent: (next) => void (answer = next),
    issueToken: (account = user) => store.issueAccessToken(account, app.clientId),
    addTask: (input) => store.add({ ...input, user: input.user ?? user }),
    updateTask: (id, patch) => store.update(id, patch),
    completeTask: (id) => store.complete(id),
    deleteTask: (id) => store.remove(id),
    revokeAllTokens: () => store.revokeAllAccessTokens(),
    failNext: (next) => void (failure = { ...next, left: next.times ?? 1 }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
