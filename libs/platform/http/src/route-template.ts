import type { Request } from 'express';

/**
 * The matched route as written in code (`/v1/tips/:id`), or `unmatched`. Used as a metric label,
 * where raw paths would create a series per id.
 *
 * Express restores `baseUrl` when an error leaves a mounted router, so for such requests the
 * template lacks the mount prefix; the label is still bounded.
 */
export function routeTemplate(req: Request): string {
  const route: unknown = req.route;
  if (typeof route === 'object' && route !== null && 'path' in route && typeof route.path === 'string') {
    return `${req.baseUrl}${route.path}` || '/';
  }
  return 'unmatched';
}

/** The request path without its query string, which may carry codes or tokens. */
export function pathOf(req: Request): string {
  const url = req.originalUrl || req.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
