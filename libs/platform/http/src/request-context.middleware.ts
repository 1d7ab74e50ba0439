import { randomUUID } from 'node:crypto';
import type { Logger } from '@oo/logger';
import { withContext } from '@oo/logger';
import type { RequestHandler, Response } from 'express';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from './traceparent';

/** Who this request is, for logs, problem documents and calls made on its behalf. */
export interface RequestContext {
  requestId: string;
  traceId: string;
  /** This server's span for the request. */
  spanId: string;
  /** The caller's span, when it sent a valid `traceparent`. */
  parentSpanId: string | undefined;
  /** `traceparent` to send on outgoing calls and events made while serving this request. */
  traceparent: string;
  /** A logger whose lines carry `requestId` and `traceId`. */
  log: Logger;
}

export const REQUEST_ID_HEADER = 'x-request-id';

// Ids from outside end up in logs and headers: accept only short, plain tokens.
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

const contexts = new WeakMap<Response, RequestContext>();

/**
 * Gives every request an id (the caller's `x-request-id` if it is sane, else a new UUID) and a
 * trace (continued from the caller's `traceparent` or newly started), echoes both on the
 * response, and puts a child logger on `res.locals.log`.
 *
 * @example
 * app.use(requestContextMiddleware(log));
 * app.get('/x', (req, res) => { requestLog(res).info('hello'); });
 */
export function requestContextMiddleware(log: Logger): RequestHandler {
  return (req, res, next) => {
    const offered = req.get(REQUEST_ID_HEADER);
    const requestId = offered !== undefined && SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
    const parent = parseTraceparent(req.get('traceparent'));
    const traceId = parent?.traceId ?? newTraceId();
    const spanId = newSpanId();
    const traceparent = formatTraceparent(traceId, spanId, parent?.flags ?? '01');
    const context: RequestContext = {
      requestId,
      traceId,
      spanId,
      parentSpanId: parent?.parentId,
      traceparent,
      log: withContext(log, { requestId, traceId }),
    };
    contexts.set(res, context);
    res.locals['requestContext'] = context;
    res.locals['log'] = context.log;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.setHeader('traceparent', traceparent);
    next();
  };
}

/** The request's context, or `undefined` when `requestContextMiddleware` did not run. */
export function findRequestContext(res: Response): RequestContext | undefined {
  return contexts.get(res);
}

/**
 * The request's context; throws when `requestContextMiddleware` is missing (a wiring bug).
 *
 * @example
 * const { requestId, traceparent } = requestContext(res);
 */
export function requestContext(res: Response): RequestContext {
  const context = contexts.get(res);
  if (!context) throw new Error('requestContextMiddleware is not installed on this app');
  return context;
}

/**
 * The request's child logger.
 *
 * @example
 * requestLog(res).info({ tipId }, 'feedback recorded');
 */
export function requestLog(res: Response): Logger {
  return requestContext(res).log;
}
