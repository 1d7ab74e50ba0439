import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** A value, or how to get the current one (tokens and CSRF tokens change). */
type Source = string | (() => string | undefined | Promise<string | undefined>);

export interface ApiClientOptions {
  /** The gateway, e.g. `https://api.oo.example` or `http://localhost:8080`. */
  baseUrl: string;
  /** A fetch of your own (tests, React Native, a cookie jar); default the global one. */
  fetch?: (input: Request) => Promise<Response>;
  /** Apps: the access token, sent as `Authorization: Bearer …`. */
  accessToken?: Source;
  /** Web: the session's CSRF token (`GET /v1/auth/session`), sent as `X-CSRF-Token` on unsafe methods. */
  csrfToken?: Source;
  /** Web on another origin: `include` sends the session cookie. */
  credentials?: 'include' | 'same-origin' | 'omit';
}

/** The gateway's API, typed from its OpenAPI document: `client.GET('/v1/me')`, `client.POST('/v1/tips')`, … */
export type ApiClient = Client<paths>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const read = async (source: Source | undefined) => (typeof source === 'function' ? source() : source);

/**
 * A client of the gateway on openapi-fetch. It adds the bearer token (apps) or the CSRF token on
 * unsafe methods (web), and sends PATCH bodies as `application/merge-patch+json` (the API's only
 * PATCH is an RFC 7396 merge patch).
 *
 * @example
 * const api = createApiClient({ baseUrl: 'http://localhost:8080', accessToken: () => tokens.access });
 * const { data, error } = await api.PATCH('/v1/me/preferences', { body: { timezone: 'Europe/Berlin' } });
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const auth: Middleware = {
    async onRequest({ request }) {
      const token = await read(options.accessToken);
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      if (!SAFE_METHODS.has(request.method)) {
        const csrf = await read(options.csrfToken);
        if (csrf) request.headers.set('X-CSRF-Token', csrf);
      }
      if (request.method === 'PATCH' && request.headers.get('content-type')?.startsWith('application/json')) {
        request.headers.set('Content-Type', 'application/merge-patch+json');
      }
      return request;
    },
  };
  client.use(auth);
  return client;
}
