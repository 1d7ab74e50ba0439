import { subjects } from '@oo/contracts';
import { Counter } from 'prom-client';
import { defineStatelessService, type StatelessKit } from '@oo/service';
import { createRoutes } from './app';
import { gatewayConfigSchema, type GatewayConfig } from './config';
import { SessionCache } from './features/session/session-cache';
import { SessionExchange } from './features/session/session-exchange';
import { AuthClient } from './upstream/auth-client';
import { UpstreamClient } from './upstream/upstream-client';

type GatewayKit = StatelessKit<GatewayConfig, typeof subjects>;

// The gateway's own parts, built once at start-up: one kept-alive pool per upstream and the session cache.
function setupGateway(kit: GatewayKit) {
  const { config } = kit;
  const pool = { timeoutMs: config.UPSTREAM_TIMEOUT_MS, maxSockets: config.UPSTREAM_MAX_SOCKETS };
  const authUpstream = new UpstreamClient('auth', config.AUTH_URL, pool);
  const upstreams = {
    auth: new AuthClient(authUpstream, kit.serviceToken),
    profile: new UpstreamClient('profile', config.PROFILE_URL, pool),
    recommender: new UpstreamClient('recommender', config.RECOMMENDER_URL, pool),
    integrations: new UpstreamClient('integrations', config.INTEGRATIONS_URL, pool),
    notifier: new UpstreamClient('notifier', config.NOTIFIER_URL, pool),
    mlServing: new UpstreamClient('ml-serving', config.ML_SERVING_URL, pool),
  };
  const nowMs = () => kit.clock().getTime();
  const sessions = new SessionExchange(upstreams.auth, kit.verifier, new SessionCache(config.SESSION_CACHE_SIZE, nowMs), nowMs);
  // A sign-out anywhere (another instance, auth itself) ends the cached exchange here too.
  kit.onRevoked((revoked) => {
    const dropped = sessions.revoke({ userId: revoked.userId, sessionId: revoked.sessionId });
    kit.log.debug({ userId: revoked.userId, sessionId: revoked.sessionId, reason: revoked.reason, dropped }, 'revoked sessions purged');
  });
  const shed = new Counter({ name: 'oo_gateway_shed_total', help: 'Requests refused with 503 because MAX_IN_FLIGHT were in flight', registers: [kit.registry] });
  const closeUpstreams = () => [authUpstream, upstreams.profile, upstreams.recommender, upstreams.integrations, upstreams.notifier, upstreams.mlServing].forEach((u) => u.close());
  return { upstreams, sessions, closeUpstreams, shed };
}

/** What the gateway's routes receive: the kit and its own parts. */
export type GatewayContext = GatewayKit & ReturnType<typeof setupGateway>;

/**
 * The gateway, declared: stateless (no database, no durable consumers), the one HTTP API of oO in
 * front of auth, profile and the recommender. `main.ts`, tests and the embedded start run it.
 */
export const gatewayService = defineStatelessService({
  name: 'gateway',
  config: gatewayConfigSchema,
  subjects,
  setup: setupGateway,
  routes: (ctx) => createRoutes(ctx),
  stop: [{ name: 'close upstream pools', run: (ctx) => ctx.closeUpstreams() }],
  // Every request body of the API is small; the largest is a preferences document.
  jsonLimit: '16kb',
});
