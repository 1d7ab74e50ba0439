/** One route an app answers: an upper-case method and a path template such as `/v1/tips/:id`. */
export interface RouteSpec {
  method: string;
  path: string;
}

// Shapes of Express 5's router 2 (node_modules/router/lib): a layer holds `rawPath` and either a
// `route` (with `path` and a `methods` map) or, for `app.use(router)`, a handler that is itself a
// router with its own `stack`. Read defensively: these are internals, not API.
interface LayerShape {
  rawPath?: unknown;
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: unknown };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function stackOf(value: unknown): LayerShape[] | undefined {
  if (!isRecord(value)) return undefined;
  return Array.isArray(value['stack']) ? (value['stack'] as LayerShape[]) : undefined;
}

// An Express app, a Router, or the http.Server whose request listener is an Express app.
function rootStack(target: unknown): LayerShape[] {
  if (isRecord(target) && typeof target['listeners'] === 'function') {
    const listeners = (target['listeners'] as (event: string) => unknown[]).call(target, 'request');
    for (const listener of listeners) {
      if (isRecord(listener) && 'router' in listener) return rootStack(listener);
    }
  }
  const stack = isRecord(target) ? (stackOf(target['router']) ?? stackOf(target)) : undefined;
  if (!stack) throw new TypeError('listRoutes needs an Express 5 app, a Router, or an http.Server serving one');
  return stack;
}

// String paths only: a RegExp route cannot be turned back into a URL to call.
function pathsOf(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw)) return raw.filter((p): p is string => typeof p === 'string');
  return [];
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

function collect(stack: LayerShape[], prefix: string, out: RouteSpec[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods ?? {}).filter((m) => layer.route?.methods?.[m]);
      const verbs = methods.flatMap((m) => (m === '_all' ? ['GET', 'POST'] : [m.toUpperCase()]));
      for (const path of pathsOf(layer.route.path)) for (const method of verbs) out.push({ method, path: join(prefix, path) });
      continue;
    }
    const nested = stackOf(layer.handle);
    if (nested) for (const mount of pathsOf(layer.rawPath)) collect(nested, join(prefix, mount), out);
  }
}

/**
 * Every route an Express 5 app declares, read from its router stack (nested routers included,
 * RegExp paths and mounted sub-apps left out), so a test covers new routes without a hand-kept list.
 *
 * @example
 * const routes = listRoutes(app); // [{ method: 'GET', path: '/v1/profiles/:userId/features' }, …]
 * const routes = listRoutes(harness.service.server); // the app behind a running server
 */
export function listRoutes(target: unknown): RouteSpec[] {
  const out: RouteSpec[] = [];
  collect(rootStack(target), '', out);
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
