import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { validate } from '@oo/http';
import { GatewayError } from '../errors';

/** One documented answer of a route. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default `application/json` when there is a schema. */
  contentType?: string;
  /** Response headers by name, with what they mean. */
  headers?: Record<string, string>;
}

type Input<P, Q, B> = { params: P; query: Q; body: B };

/** A route of the public API: its documentation and its handler, from the same schemas. */
export interface RouteDefinition<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/v1/tips/{id}/feedback`. */
  path: string;
  summary: string;
  tag: string;
  /** public: no caller needed; user: a signed-in person; admin: one with the admin role. */
  access: 'public' | 'user' | 'admin';
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: { schema: z.ZodType<B>; contentTypes: readonly string[]; required?: boolean };
  responses: Record<number, ResponseSpec>;
  handle(input: Input<P, Q, B>, res: Response, req: Request): Promise<void>;
}

/** A route with its input types erased, for the table. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDefinition<any, any, any>;

/**
 * Declares a route; the handler's input is typed by the route's own schemas.
 *
 * @example
 * defineRoute({ method: 'get', path: '/v1/me', summary: 'Who I am', tag: 'me', access: 'user', responses: { 200: { description: 'You', schema: meSchema } }, handle: ... })
 */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(route: RouteDefinition<P, Q, B>): RouteDefinition<P, Q, B> {
  return route;
}

/** What a non-public route runs before its handler, in order (authentication, per-user limit, CSRF, admin check). */
export interface Guards {
  user: readonly RequestHandler[];
  admin: RequestHandler;
}

const expressPath = (template: string) => template.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');

const urlencoded = express.urlencoded({ extended: false, limit: '16kb', type: 'application/x-www-form-urlencoded' });

function contentTypeCheck(types: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody || req.is([...types])) return next();
    next(new GatewayError('GATEWAY_UNSUPPORTED_MEDIA_TYPE', `send the body as ${types.join(' or ')}`));
  };
}

function handlerOf(route: AnyRoute): RequestHandler {
  return async (req, res, next) => {
    try {
      const input = {
        params: route.params ? validate(route.params, req.params, 'params') : undefined,
        query: route.query ? validate(route.query, req.query, 'query') : undefined,
        body: route.body ? validate(route.body.schema, req.body ?? (route.body.required === false ? undefined : {}), 'body') : undefined,
      };
      await route.handle(input, res, req);
    } catch (err) {
      next(err);
    }
  };
}

/**
 * An Express router serving the table: each route's guards, its content-type check (415), a form
 * parser where the route takes forms, the validation of params, query and body (400), then the handler.
 *
 * @example
 * app.use(mountRoutes(routes, guards));
 */
export function mountRoutes(routes: readonly AnyRoute[], guards: Guards): Router {
  const router = Router();
  for (const route of routes) {
    const chain: RequestHandler[] = [];
    if (route.access !== 'public') chain.push(...guards.user);
    if (route.access === 'admin') chain.push(guards.admin);
    if (route.body) {
      chain.push(contentTypeCheck(route.body.contentTypes));
      if (route.body.contentTypes.includes('application/x-www-form-urlencoded')) chain.push(urlencoded);
    }
    chain.push(handlerOf(route));
    router[route.method](expressPath(route.path), ...chain);
  }
  return router;
}
