import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGoogleOAuth, type GoogleOAuth, type GoogleOAuthClientRegistration, type Reply } from './google-oauth.endpoints';
import { createGoogleTasksData, googleError, type GoogleTasksData } from './google-tasks.endpoints';

export type { GoogleOAuthClientRegistration } from './google-oauth.endpoints';
export type { TaskInput, TaskListRecord, TaskRecord } from './google-tasks.endpoints';

/** Which endpoint a request reached, for counting. */
export type GoogleEndpoint = 'authorize' | 'token' | 'revoke' | 'tasklists' | 'tasks' | 'unknown';

/** One request the stand-in answered. */
export interface RecordedRequest {
  endpoint: GoogleEndpoint;
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
}

/** A failure to answer with instead of the real thing. */
export interface InjectedFailure {
  /** 429, 403 (with `reason`), 500, 503, … */
  status: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** How many requests in a row fail; default 1. */
  times?: number;
  /** Google's `errors[].reason`, e.g. `rateLimitExceeded`, `userRateLimitExceeded`; a default by status otherwise. */
  reason?: string;
  /** The Tasks API (default) or the token endpoint. */
  on?: 'api' | 'token';
}

/** Options of the Google stand-in. */
export interface GoogleTasksServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default: one client, `DEFAULT_GOOGLE_CLIENT`. */
  clients?: GoogleOAuthClientRegistration[];
  /** Google's access tokens last an hour. */
  accessTokenTtlSeconds?: number;
  /** The server's clock: task `updated` stamps and token expiry. */
  now?: () => Date;
}

/** The client the stand-in knows unless told otherwise. */
export const DEFAULT_GOOGLE_CLIENT: GoogleOAuthClientRegistration = {
  clientId: 'oo-local.apps.googleusercontent.com',
  clientSecret: 'oo-local-secret',
  redirectUris: ['http://127.0.0.1/oauth/google/callback'],
};

/** A running stand-in for Google's OAuth server and Tasks API, with the controls of a test. */
export type GoogleTasksServer = {
  /** `http://127.0.0.1:<port>`: the Tasks API base (`apiUrl`) and the issuer named in `iss`. */
  readonly url: string;
  readonly issuer: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  readonly clients: readonly GoogleOAuthClientRegistration[];
  readonly requests: readonly RecordedRequest[];
  count(endpoint: GoogleEndpoint): number;
  failNext(failure: InjectedFailure): void;
  /** Delays every Tasks API answer by this long from now on (a slow provider); 0 to stop. */
  setLatency(ms: number): void;
  stop(): Promise<void>;
} & Omit<GoogleTasksData, 'listTaskLists' | 'listTasks'> &
  Omit<GoogleOAuth, 'authorize' | 'token' | 'revoke' | 'checkBearer'>;

const TASK_SCOPES = ['https://www.googleapis.com/auth/tasks', 'https://www.googleapis.com/auth/tasks.readonly'];
const CANONICAL: Record<number, [status: string, reason: string, message: string]> = {
  401: ['UNAUTHENTICATED', 'authError', 'Request had invalid authentication credentials.'],
  403: ['PERMISSION_DENIED', 'rateLimitExceeded', 'Rate Limit Exceeded'],
  429: ['RESOURCE_EXHAUSTED', 'rateLimitExceeded', 'Quota exceeded for quota metric \'Queries\' and limit \'Queries per minute per user\'.'],
  500: ['INTERNAL', 'backendError', 'Internal error encountered.'],
  503: ['UNAVAILABLE', 'backendError', 'The service is currently unavailable.'],
};

function injectedReply(failure: InjectedFailure): Reply {
  const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
  const [status, reason, message] = CANONICAL[failure.status] ?? ['INVALID_ARGUMENT', 'badRequest', 'Bad Request'];
  if (failure.on === 'token') {
    return { status: failure.status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify({ error: failure.reason ?? 'internal_failure' }) };
  }
  return googleError(failure.status, status, message, failure.reason ?? reason, headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts a local stand-in for Google on 127.0.0.1: OAuth 2.0 for web server apps
 * (`/o/oauth2/v2/auth`, `/token`, `/revoke`) and the Tasks API v1 (`/tasks/v1/…`).
 *
 * @example
 * const google = await startGoogleTasksServer();
 * const list = google.addList('My Tasks');
 * google.addTask(list.id, { title: 'Water the plants', due: '2025-05-01' });
 * const token = google.issueAccessToken();
 * await google.stop();
 */
export async function startGoogleTasksServer(options: GoogleTasksServerOptions = {}): Promise<GoogleTasksServer> {
  const now = options.now ?? (() => new Date());
  const clients = options.clients ?? [DEFAULT_GOOGLE_CLIENT];
  const requests: RecordedRequest[] = [];
  const failures: { failure: InjectedFailure; left: number }[] = [];
  let latencyMs = 0;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const oauth = createGoogleOAuth({ issuer: base, clients, accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3599, now });
  const data = createGoogleTasksData({ baseUrl: base, now });

  function takeFailure(on: 'api' | 'token'): Reply | null {
    const next = failures.find((f) => (f.failure.on ?? 'api') === on);
    if (!next) return null;
    next.left -= 1;
    if (next.left <= 0) failures.splice(failures.indexOf(next), 1);
    return injectedReply(next.failure);
  }

  async function route(req: IncomingMessage, url: URL): Promise<[GoogleEndpoint, Reply]> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/o/oauth2/v2/auth' && method === 'GET') return ['authorize', oauth.authorize(url.searchParams)];
    if (path === '/token' && method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      return ['token', takeFailure('token') ?? oauth.token(form, req.headers.authorization)];
    }
    if (path === '/revoke' && method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      return ['revoke', oauth.revoke(form.has('token') ? form : url.searchParams)];
    }
    const listsPath = path === '/tasks/v1/users/@me/lists';
    const tasksMatch = /^\/tasks\/v1\/lists\/([^/]+)\/tasks$/.exec(path);
    if (!path.startsWith('/tasks/v1/') || method !== 'GET' || (!listsPath && !tasksMatch)) return ['unknown', googleError(404, 'NOT_FOUND', 'Not Found', 'notFound')];
    const endpoint: GoogleEndpoint = listsPath ? 'tasklists' : 'tasks';
    const bearer = oauth.checkBearer(req.headers.authorization);
    if (!bearer.ok) {
      const message = bearer.problem === 'missing' ? 'Request is missing required authentication credential. Expected OAuth 2 access token.' : 'Request had invalid authentication credentials. Expected OAuth 2 access token.';
      return [endpoint, googleError(401, 'UNAUTHENTICATED', message, bearer.problem === 'missing' ? 'required' : 'authError', { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' })];
    }
    if (!bearer.scopes.some((s) => TASK_SCOPES.includes(s))) return [endpoint, googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', 'insufficientPermissions')];
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const injected = takeFailure('api');
    if (injected) return [endpoint, injected];
    return [endpoint, listsPath ? data.listTaskLists(url.searchParams) : data.listTasks(decodeURIComponent(tasksMatch?.[1] ?? ''), url.searchParams)];
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', base);
    route(req, url)
      .then(([endpoint, reply]) => {
        requests.push({ endpoint, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, status: reply.status });
        res.writeHead(reply.status, reply.headers ?? {});
        res.end(reply.body ?? '');
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(error instanceof Error ? error.message : String(error));
      });
  });
  const { authorize: _a, token: _t, revoke: _r, checkBearer: _c, ...oauthControls } = oauth;
  const { listTaskLists: _l, listTasks: _k, ...dataControls } = data;

  return {
    ...dataControls,
    ...oauthControls,
    url: base,
    issuer: base,
    authorizeUrl: `${base}/o/oauth2/v2/auth`,
    tokenUrl: `${base}/token`,
    revokeUrl: `${base}/revoke`,
    clients,
    requests,
    count: (endpoint) => requests.filter((r) => r.endpoint === endpoint).length,
    failNext(failure) {
      failures.push({ failure, left: failure.times ?? 1 });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
