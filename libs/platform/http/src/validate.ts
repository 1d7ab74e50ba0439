import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpProblem } from './http-problem';

/** Where a validated value came from; prefixes each failing field's path. */
export type InputLocation = 'body' | 'query' | 'params' | 'headers';

/** One failing field in a 400 problem's `errors` member. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Parses `value` with `schema`, returning the typed result, or throws a 400 problem (code
 * `VALIDATION_FAILED`) whose `errors` member lists every failing field.
 *
 * @example
 * const query = validate(z.object({ limit: z.coerce.number().int().max(50) }), req.query, 'query');
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, location?: InputLocation): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: [...(location ? [location] : []), ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new HttpProblem(400, {
    code: 'VALIDATION_FAILED',
    detail: 'The request is invalid; see errors.',
    extra: { errors },
    cause: result.error,
  });
}

/**
 * Middleware that validates `req.body` and replaces it with the parsed value. (Express 5 makes
 * `req.query` read-only; call `validate(schema, req.query, 'query')` in the handler instead.)
 *
 * @example
 * router.post('/tips/:id/feedback', validateBody(feedbackSchema), handler);
 */
export function validateBody(schema: z.ZodType): RequestHandler {
  return (req, _res, next) => {
    req.body = validate(schema, req.body, 'body');
    next();
  };
}
