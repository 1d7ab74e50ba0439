import type { RequestHandler, Router } from 'express';
import { cookieNames } from './features/session/cookies';
import { authenticate } from './http/caller.middleware';
import { adminRoutes } from './http/admin.routes';
import { authRoutes } from './http/auth.routes';
import { homeRoutes } from './http/home.routes';
import { meRoutes } from './http/me.routes';
import { mountRoutes, type AnyRoute } from './http/route-table';
import type { RouteDeps } from './http/route-deps';
import { tipsRoutes } from './http/tips.routes';
import { connectionsRoutes } from './http/connections.routes';
import { tasksRoutes } from './http/tasks.routes';
import { notificationsRoutes } from './http/notifications.routes';
import { docsRouter } from './openapi/docs.router';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { csrfProtection } from './protection/csrf.middleware';
import { cors, securityHeaders } from './protection/edge.middleware';
import { shedLoad } from './protection/load-shedding.middleware';
import { rateLimits } from './protection/rate-limit.middleware';
import { requireAdminCaller } from './http/admin.middleware';
import { deletionRoutes } from './http/deletion.routes';
import { eventsRoutes } from './http/events.routes';
import { exportRoutes } from './http/export.routes';
import { eventOperations } from './features/event-operations/event-operations';
import { hasWebApp, webAppRouter } from './features/web-app/web-app.router';
import type { GatewayContext } from './service';

/**
 * Every route of the public API, in one table: the routers and the OpenAPI document are both
 * built from it, so a route cannot be served undocumented or documented unserved.
 *
 * @example
 * const doc = buildOpenApiDocument(routeTable(deps));
 */
export function routeTable(deps: RouteDeps): AnyRoute[] {
  return [...homeRoutes(), ...authRoutes(deps), ...meRoutes(deps), ...tipsRoutes(deps), ...connectionsRoutes(deps), ...tasksRoutes(deps), ...notificationsRoutes(deps), ...deletionRoutes(deps), ...exportRoutes(deps), ...adminRoutes(deps), ...eventsRoutes(deps)];
}

// Building the table only reads each route's schemas; a handler that touched these would be a bug.
const inertDeps = new Proxy({} as RouteDeps, {
  get: (_target, key) => {
    throw new Error(`the OpenAPI document was built with inert dependencies, yet ${String(key)} was used`);
  },
});

/**
 * The OpenAPI document of the gateway without starting it (for `npm run api:generate` and tests).
 *
 * @example
 * writeFileSync('docs/openapi.json', JSON.stringify(gatewayApiDocument(), null, 2));
 */
export function gatewayApiDocument() {
  return buildOpenApiDocument(routeTable(new Proxy({} as RouteDeps, { get: () => inertDeps })));
}

/** The gateway's HTTP API, mounted by the service kit after its request ids, logs, metrics and JSON parser. */
export function createRoutes(ctx: GatewayContext): Array<Router | RequestHandler> {
  const { config } = ctx;
  const cookies = cookieNames(config.PUBLIC_URL);
  const deps: RouteDeps = { ...ctx.upstreams, sessions: ctx.sessions, cookies, publicUrl: config.PUBLIC_URL, reauthMaxAgeMs: config.REAUTH_MAX_AGE_MS, clock: ctx.clock, events: eventOperations(ctx.bus, config.STREAM_PREFIX) };
  const webOrigins = new Set([new URL(config.PUBLIC_URL).origin, ...config.WEB_ORIGINS]);
  const limits = rateLimits({ windowMs: config.RATE_LIMIT_WINDOW_MS, perIp: config.RATE_LIMIT_PER_IP, perUser: config.RATE_LIMIT_PER_USER, trustProxyHops: config.TRUST_PROXY_HOPS });
  const routes = routeTable(deps);
  const guards = {
    user: [authenticate({ verifier: ctx.verifier, sessions: ctx.sessions, cookies }), limits.perUser, csrfProtection(webOrigins)],
    admin: requireAdminCaller(),
  };
  // The web app's files come before the table, so its page (not the table's page of links) is `/`.
  const webApp = hasWebApp(config.WEB_APP_DIR) ? [webAppRouter(config.WEB_APP_DIR)] : [];
  return [securityHeaders(), cors(new Set(config.WEB_ORIGINS)), docsRouter(buildOpenApiDocument(routes)), shedLoad({ maxInFlight: config.MAX_IN_FLIGHT, onShed: () => ctx.shed.inc() }), limits.perIp, ...webApp, mountRoutes(routes, guards)];
}
