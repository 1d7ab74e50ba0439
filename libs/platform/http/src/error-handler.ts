import type { Logger } from '@oo/logger';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpProblem, defaultCodeFor, notFound } from './http-problem';
import { findRequestContext } from './request-context.middleware';
import { pathOf } from './route-template';
import { unavailableProblem } from './unavailable-problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

// body-parser marks its errors with a `type`; these are the client's fault.
const BODY_PARSER_CODES: Record<string, string> = {
  'entity.parse.failed': 'MALFORMED_JSON',
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'REQUEST_ABORTED',
};

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null ? (Reflect.get(err, key) as unknown) : undefined;
}

/**
 * Turns any thrown value into a problem: an `HttpProblem` as is; an error carrying a numeric
 * 4xx/5xx `status` and a string `code` (the convention for oO's named errors) with that status;
 * body-parser failures as 400/413/415; a path with a broken percent-encoding as 400
 * `MALFORMED_PATH`; any other error a library marked with a 4xx `status` with that status; a
 * database or dependency that is unreachable, out of connections or timed out as 503 with
 * `Retry-After`; everything else as a bare 500. Only 4xx details reach the client; a 5xx says
 * nothing about internals.
 *
 * @example
 * const problem = toProblem(err); // problem.status, problem.code, problem.headers
 */
export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const status = field(err, 'status');
  const message = err instanceof Error ? err.message : undefined;
  const parserType = field(err, 'type');
  if (typeof parserType === 'string' && typeof status === 'number' && field(err, 'expose') === true) {
    const detail = parserType === 'entity.parse.failed' ? 'The request body is not valid JSON.' : message;
    return new HttpProblem(status, { code: BODY_PARSER_CODES[parserType] ?? defaultCodeFor(status), detail, cause: err });
  }
  const code = field(err, 'code');
  if (typeof status === 'number' && status >= 400 && status <= 599 && typeof code === 'string') {
    return new HttpProblem(status, { code, detail: status < 500 ? message : undefined, cause: err });
  }
  if (typeof status === 'number' && status >= 400 && status <= 499) return clientProblem(err, status, message);
  return unavailableProblem(err) ?? new HttpProblem(500, { detail: 'An unexpected error occurred.', cause: err });
}

// Errors other libraries mark as the client's fault. The router's URIError for a path parameter
// that will not decode (`/v1/profiles/%E0%A4%A`) carries status 400 and nothing else.
function clientProblem(err: unknown, status: number, message: string | undefined): HttpProblem {
  if (err instanceof URIError) {
    return new HttpProblem(400, { code: 'MALFORMED_PATH', detail: 'The request path has a malformed percent-encoding.', cause: err });
  }
  // http-errors sets `expose` when its message is meant for the client.
  const detail = field(err, 'expose') === true ? message : undefined;
  return new HttpProblem(status, { code: defaultCodeFor(status), detail, cause: err });
}

/**
 * The app's one error handler: writes `application/problem+json` with `instance` (the request
 * path) and `requestId`; logs 5xx with the error and its cause, 4xx at debug.
 *
 * @example
 * app.use(notFoundHandler(), errorHandler(log));
 */
export function errorHandler(fallback?: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a problem document; Express closes the connection.
      next(err);
      return;
    }
    const problem = toProblem(err);
    const context = findRequestContext(res);
    const log = context?.log ?? fallback;
    const path = pathOf(req);
    if (problem.status >= 500) {
      log?.error({ err, method: req.method, path, status: problem.status }, 'request error');
    } else {
      // The request logger already reports the status at info; the code helps when debugging.
      log?.debug({ method: req.method, path, status: problem.status, code: problem.code }, problem.message);
    }
    res.status(problem.status).set(problem.headers).type(PROBLEM_CONTENT_TYPE);
    res.json(problem.toDocument(path, context?.requestId));
  };
}

/**
 * The last route: any request nothing else answered becomes a 404 problem.
 *
 * @example
 * app.use(notFoundHandler());
 */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(notFound(`No route for ${req.method} ${pathOf(req)}`, { code: 'ROUTE_NOT_FOUND' }));
  };
}
