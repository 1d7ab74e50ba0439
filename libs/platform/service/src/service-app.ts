import type { Express } from 'express';
import { isDbReachable } from '@oo/db';
import type { RunningConsumer } from '@oo/events';
import { createBaseApp, finishApp, Readiness } from '@oo/http';
import type { Infrastructure } from './service-infrastructure';

/** The parts of a descriptor the app is built from; `ctx` is what its routes and checks receive. */
export interface AppDescriptor<Ctx> {
  readonly name: string;
  readonly routes: (ctx: Ctx) => ReadonlyArray<Parameters<Express['use']>[0]>;
  readonly readiness?: Readonly<Record<string, (ctx: Ctx) => boolean | Promise<boolean>>>;
  readonly jsonLimit?: string;
}

/**
 * The service's Express app: the kit's base middleware (request ids, logs, metrics at /metrics,
 * /healthz, /readyz, JSON bodies), the descriptor's routes, then 404 and problem+json errors.
 * Only the database (where the service has one) and the service's own checks make it unready;
 * the broker and the consumers, which resume by themselves, are reported as degraded.
 */
export function buildServiceApp<Ctx extends { log: Infrastructure['kit']['log'] }>(
  descriptor: AppDescriptor<Ctx>,
  ctx: Ctx,
  infra: Infrastructure,
  consumers: readonly RunningConsumer[],
): { app: Express; readiness: Readiness } {
  const readiness = new Readiness();
  const db = 'db' in infra.kit ? (infra.kit.db as Parameters<typeof isDbReachable>[0]) : undefined;
  if (db) readiness.add('database', () => isDbReachable(db));
  readiness.add('nats', () => infra.kit.bus.health().healthy, { critical: false });
  // Without it revoked tokens stay good here until they expire: serve, but say so.
  readiness.add('revocations', () => infra.revocations.healthy(), { critical: false });
  if (infra.consumerDb) readiness.add('consumers', () => consumers.every((c) => c.health().healthy), { critical: false });
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
