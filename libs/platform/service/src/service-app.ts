import type { Express } from 'express';
import { isDbReachable } from '@oo/db';
import type { RunningConsumer, SubjectMap } from '@oo/events';
import { createBaseApp, finishApp, Readiness } from '@oo/http';
import type { ContextOf, KitConfig, ServiceDescriptor } from './service-descriptor';
import type { Infrastructure } from './service-infrastructure';

/**
 * The service's Express app: the kit's base middleware (request ids, logs, metrics at /metrics,
 * /healthz, /readyz, JSON bodies), the descriptor's routes, then 404 and problem+json errors.
 * Only the database and the service's own checks make it unready; the broker and the consumers,
 * which resume by themselves, are reported as degraded.
 */
export function buildServiceApp<C extends KitConfig, DB, M extends SubjectMap, Own extends object>(
  descriptor: ServiceDescriptor<C, DB, M, Own>,
  ctx: ContextOf<ServiceDescriptor<C, DB, M, Own>>,
  infra: Infrastructure<C, DB, M>,
  consumers: readonly RunningConsumer[],
): { app: Express; readiness: Readiness } {
  const readiness = new Readiness()
    .add('database', () => isDbReachable(infra.kit.db))
    .add('nats', () => infra.kit.bus.health().healthy, { critical: false })
    .add('consumers', () => consumers.every((c) => c.health().healthy), { critical: false });
  for (const [name, check] of Object.entries(descriptor.readiness ?? {})) readiness.add(name, () => check(ctx));
  const app = createBaseApp({
    service: descriptor.name,
    log: ctx.log,
    readiness,
    metrics: infra.httpMetrics,
    ...(descriptor.jsonLimit ? { jsonLimit: descriptor.jsonLimit } : {}),
  });
  for (const route of descriptor.routes(ctx)) app.use(route);
  return { app: finishApp(app), readiness };
}
