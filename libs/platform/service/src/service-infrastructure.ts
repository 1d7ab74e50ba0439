import { createDb, type Kysely } from '@oo/db';
import { connectJetStreamBus, createEventCodec, createEventsMetrics, enqueueEvent, startOutboxRelay, type EventBus, type EventsMetrics, type SubjectMap } from '@oo/events';
import { createJwtVerifier, createMetrics, type HttpMetrics, type ShutdownStep } from '@oo/http';
import type { Logger } from '@oo/logger';
import type { JSONWebKeySet } from 'jose';
import { ServiceKitError } from './service-error';
import type { Enqueue, Kit, KitConfig, ServiceDescriptor } from './service-descriptor';
import type { StartServiceOptions } from './start-service';
import { startErasedUserPruning } from './erased-user-pruning';
import { registerPoolMetrics } from './pool-metrics';

/** What the kit opens before the service's own setup runs, and the steps that close it again. */
export interface Infrastructure<C extends KitConfig, DB, M extends SubjectMap> {
  kit: Kit<C, DB, M>;
  consumerDb: Kysely<DB>;
  httpMetrics: HttpMetrics;
  eventsMetrics: EventsMetrics;
  /** Stop the relay, drain the bus (unless shared), close both pools. */
  closeSteps: ShutdownStep[];
}

async function openBus(name: string, config: KitConfig, log: Logger, metrics: EventsMetrics, shared?: EventBus): Promise<EventBus> {
  if (shared) return shared;
  if (!config.NATS_URL) {
    throw new ServiceKitError('SERVICE_NATS_URL_REQUIRED', `${name}: NATS_URL is not set (only the embedded start runs without a broker)`);
  }
  return connectJetStreamBus({ servers: [...config.NATS_URL], name, prefix: config.STREAM_PREFIX, log, metrics });
}

/**
 * Opens the database pools (one for HTTP, a smaller one for consumers, two connections for the outbox relay), the
 * metrics registry, the bus, the token verifier and the outbox relay.
 */
export async function openInfrastructure<C extends KitConfig, DB, M extends SubjectMap, Own extends object>(
  descriptor: ServiceDescriptor<C, DB, M, Own>,
  config: C,
  log: Logger,
  options: StartServiceOptions,
): Promise<Infrastructure<C, DB, M>> {
  const { name } = descriptor;
  // pg-pool resolves end() once its clients are let go, before their sockets close; a server that
  // stops right after would then show up here as a failure, which by then it is not.
  let poolsClosed = false;
  const onPoolError = (err: Error) => !poolsClosed && log.warn({ err }, 'an idle database connection failed');
  const target = { url: config.DATABASE_URL, schema: config.DB_SCHEMA };
  const db = createDb<DB>({ ...target, poolMax: config.DB_POOL_MAX, applicationName: name }, { onPoolError });
  const consumerDb = createDb<DB>({ ...target, poolMax: config.DB_CONSUMER_POOL_MAX, applicationName: `${name}-consumers` }, { onPoolError });
  // The relay's rounds are short transactions, one at a time: two connections of its own, so busy
  // consumers can never hold back publishing.
  const relayDb = createDb<DB>({ ...target, poolMax: 2, applicationName: `${name}-outbox` }, { onPoolError });
  const httpMetrics = createMetrics({ service: name });
  const eventsMetrics = createEventsMetrics(httpMetrics.registry);
  registerPoolMetrics(httpMetrics.registry, { http: db as Kysely<unknown>, consumers: consumerDb as Kysely<unknown>, outbox: relayDb as Kysely<unknown> });
  const closePools: ShutdownStep = {
    name: 'close database',
    run: () => {
      poolsClosed = true;
      return Promise.all([db.destroy(), consumerDb.destroy(), relayDb.destroy()]);
    },
  };
  let bus: EventBus;
  try {
    bus = await openBus(name, config, log, eventsMetrics, options.bus);
  } catch (err) {
    await Promise.all([db.destroy(), consumerDb.destroy(), relayDb.destroy()]);
    throw err;
  }
  const events = createEventCodec(descriptor.subjects, { source: name });
  const enqueue: Enqueue<M> = (trx, subject, message, encode = {}) => enqueueEvent(trx, events, subject, message, encode);
  const verifier = createJwtVerifier({ issuer: config.AUTH_ISSUER, jwksUrl: config.AUTH_JWKS_URL, jwks: config.AUTH_JWKS as JSONWebKeySet | undefined });
  const relay = startOutboxRelay({ db: relayDb, bus, log, metrics: eventsMetrics, databaseUrl: config.DATABASE_URL });
  const clock = options.clock ?? (() => new Date());
  const erasedUsers = startErasedUserPruning(consumerDb, log, clock, config.ERASED_USER_RETENTION_DAYS);
  const kit: Kit<C, DB, M> = {
    name,
    config,
    log,
    db,
    bus,
    events,
    enqueue,
    registry: httpMetrics.registry,
    verifier,
    clock,
  };
  const closeSteps: ShutdownStep[] = [
    { name: 'stop outbox relay', run: () => relay.stop() },
    { name: 'stop erased-user pruning', run: () => erasedUsers.stop() },
    ...(options.bus ? [] : [{ name: 'drain bus', run: () => bus.drain() }]),
    closePools,
  ];
  return { kit, consumerDb, httpMetrics, eventsMetrics, closeSteps };
}
