import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@oo/logger';

/** The upstreams the recommender presents its service token to. */
export type UpstreamName = 'profile' | 'ml-serving';

/** Counts and logs every time an upstream refuses the recommender's service token. */
export interface UpstreamUnauthorized {
  /** An upstream answered 401 or 403 to `call` (a route template, never a user's id). */
  refused(upstream: UpstreamName, status: number, call: string): void;
}

export const UPSTREAM_UNAUTHORIZED_METRIC = 'oo_upstream_unauthorized_total';

// A refused token refuses every call, hundreds a second: one error line a minute per upstream
// (with the count since the last) says it without burying everything else. The counter sees all.
const LOG_EVERY_MS = 60_000;

function counterOn(registry: Registry): Counter<'upstream'> {
  const existing = registry.getSingleMetric(UPSTREAM_UNAUTHORIZED_METRIC);
  if (existing) return existing as Counter<'upstream'>;
  return new Counter({
    name: UPSTREAM_UNAUTHORIZED_METRIC,
    help: 'Calls to profile or ml-serving refused with 401 or 403: the service token is missing, expired, rotated out or not allowed there',
    labelNames: ['upstream'],
    registers: [registry],
  });
}

/**
 * A 401 or 403 from an upstream is not an outage but a fault in our own credentials or in the
 * upstream's allow-list: decisions still fall back, but the refusal is an error in the log and
 * `oo_upstream_unauthorized_total{upstream}` on `registry` (give the service's registry; asking
 * twice for the same registry shares one counter).
 *
 * @example
 * const unauthorized = createUpstreamUnauthorized(log, registry);
 * createProfileClient({ ..., unauthorized });
 * createMlClient({ ..., unauthorized });
 */
export function createUpstreamUnauthorized(log: Logger, registry?: Registry, now: () => number = Date.now): UpstreamUnauthorized {
  const counter = registry ? counterOn(registry) : undefined;
  const lastLog = new Map<UpstreamName, { atMs: number; since: number }>();
  return {
    refused(upstream, status, call) {
      counter?.inc({ upstream });
      const at = now();
      const last = lastLog.get(upstream);
      if (last && at - last.atMs < LOG_EVERY_MS) {
        last.since += 1;
        return;
      }
      lastLog.set(upstream, { atMs: at, since: 0 });
      log.error(
        { upstream, status, call, refusedSinceLastLog: last?.since ?? 0 },
        `${upstream} refused the recommender's service token (${status}); decisions use fallbacks until it accepts it`,
      );
    },
  };
}
