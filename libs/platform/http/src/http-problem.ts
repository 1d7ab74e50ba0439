import { STATUS_CODES } from 'node:http';

/** An RFC 9457 problem document as this library writes it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: string;
  requestId?: string;
  [extension: string]: unknown;
}

export interface ProblemOptions {
  /** Stable machine-readable code, e.g. `PROFILE_NOT_FOUND`; defaults from the status. */
  code?: string;
  /** Human-readable summary; defaults to the HTTP reason phrase. */
  title?: string;
  /** Explanation specific to this occurrence; safe to show to the client. */
  detail?: string;
  /** A URI identifying the problem type; `about:blank` when the status says it all. */
  type?: string;
  /** Extension members added to the document, e.g. `{ errors: [...] }`. */
  extra?: Record<string, unknown>;
  /** Response headers to send with the problem, e.g. `WWW-Authenticate`. */
  headers?: Record<string, string>;
  cause?: unknown;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** The default `code` for an HTTP status, e.g. 404 → `NOT_FOUND`. */
export function defaultCodeFor(status: number): string {
  return DEFAULT_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

/**
 * An error that becomes an `application/problem+json` response with its status. Throw it (or
 * pass it to `next`) from any handler; the error handler does the rest.
 *
 * @example
 * throw new HttpProblem(409, { code: 'PROFILE_EXISTS', detail: 'a profile already exists for this user' });
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, options: ProblemOptions = {}) {
    const title = options.title ?? STATUS_CODES[status] ?? 'Error';
    super(options.detail ?? title, { cause: options.cause });
    this.status = status;
    this.code = options.code ?? defaultCodeFor(status);
    this.title = title;
    this.detail = options.detail;
    this.type = options.type ?? 'about:blank';
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }

  /** The document sent to the client; extension members never override the standard ones. */
  toDocument(instance: string, requestId?: string): ProblemDocument {
    const doc: ProblemDocument = {
      ...this.extra,
      type: this.type,
      title: this.title,
      status: this.status,
      instance,
      code: this.code,
    };
    if (this.detail !== undefined) doc.detail = this.detail;
    if (requestId !== undefined) doc.requestId = requestId;
    return doc;
  }
}

type HelperOptions = Omit<ProblemOptions, 'detail'>;

/**
 * 400 Bad Request.
 *
 * @example
 * throw badRequest('limit must be at most 50');
 */
export function badRequest(detail?: string, options: HelperOptions = {}): HttpProblem {
  return new HttpProblem(400, { ...options, detail });
}

/**
 * 401 Unauthorized, with the `WWW-Authenticate` challenge bearer-token clients expect.
 *
 * @example
 * throw unauthorized('token expired');
 */
export function unauthorized(detail?: string, options: HelperOptions = {}): HttpProblem {
  const headers = { 'WWW-Authenticate': 'Bearer error="invalid_token"', ...options.headers };
  return new HttpProblem(401, { ...options, detail, headers });
}

/**
 * 403 Forbidden: authenticated, but not allowed to do this.
 *
 * @example
 * throw forbidden('only admins may list users');
 */
export function forbidden(detail?: string, options: HelperOptions = {}): HttpProblem {
  return new HttpProblem(403, { ...options, detail });
}

/**
 * 404 Not Found.
 *
 * @example
 * throw notFound(`tip ${id} does not exist`, { code: 'RECOMMENDER_TIP_NOT_FOUND' });
 */
export function notFound(detail?: string, options: HelperOptions = {}): HttpProblem {
  return new HttpProblem(404, { ...options, detail });
}

/**
 * 409 Conflict.
 *
 * @example
 * throw conflict('feedback was already recorded for this tip');
 */
export function conflict(detail?: string, options: HelperOptions = {}): HttpProblem {
  return new HttpProblem(409, { ...options, detail });
}
