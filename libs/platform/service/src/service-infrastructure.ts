import { createDb, type Kysely } from '@oo/db';
import { connectJetStreamBus, createEventCodec, createEventsMetrics, enqueueEvent, enqueueEventWith, startOutboxRelay, type EventBus, type EventsMetrics, type NatsDefinitions, type SubjectMap } from '@oo/events';
import { createJwtVerifier, createMetrics, type HttpMetrics, type ShutdownStep } from '@oo/http';
import type { Logger } from '@oo/logger';
import type { JSONWebKeySet } from 'jose';
import { ServiceKitError } from './service-error';
import type { Enqueue, EnqueueWith, Kit, KitConfig, StatelessKit, StatelessKitConfig } from './service-descriptor';
import type { StartServiceOptions } from './start-service';
import { startErasedUserPruning } from './erased-user-pruning';
import { registerPoolMetrics } from './pool-metrics';
import { serviceTokenSourceFromConfig } from './service-token';
import { startRevocationFanOut, type RevocationFanOut } from './revocation-fan-out';

/** What the kit opens before the service's own setup runs, and the steps that close it again. */
export interface Infrastructure {
  kit: StatelessKit<StatelessKitConfig, SubjectMap>;
  /** The consumers' pool; only a service with a database has one. */
  consumerDb?: Kysely<unknown>;
  httpMetrics: HttpMetrics;
  eventsMetrics: EventsMetrics;
  /** This process's users.revoked subscription (readiness reports it). */
  revocations: RevocationFanOut;
  /** Stop the relay, drain the bus (unless shared), close the pools. */
  closeSteps: ShutdownStep[];
}

/** The longest lifetime of a token auth issues (access tokens ≤ 10 min; an hour leaves room). */
export const MAX_TOKEN_LIFETIME_SEC = 3_600;

interface Descriptor {
  readonly name: StatelessKit<StatelessKitConfig, SubjectMap>['name'];
  readonly subjects: SubjectMap;
}

async function openBus(name: string, config: StatelessKitConfig, log: Logger, metrics: EventsMetrics, shared?: EventBus): Promise<EventBus> {
  if (shared) return shared;
  if (!config.NATS_URL) {
    throw new ServiceKitError('SERVICE_NATS_URL_REQUIRED', `${name}: NATS_URL is not set (only the embedded start runs without a broker)`);
  }
  return connectJetStreamBus({ servers: [...config.NATS_URL], name, prefix: config.STREAM_PREFIX, log, metrics });
}

interface Databases {
  db: Kysely<unknown>;
  consumerDb: Kysely<unknown>;
  relayDb: Kysely<unknown>;
  close: { name: string; run(): Promise<unknown> };
}

function openDatabases(name: string, config: KitConfig, log: Logger, httpMetrics: HttpMetrics): Databases {
  // pg-pool resolves end() once its clients are let go, before their sockets close; a server that
  // stops right after would then show up here as a failure, which by then it is not.
  let poolsClosed = false;
  const onPoolError = (err: Error) => !poolsClosed && log.warn({ err }, 'an idle database connection failed');
  const target = { url: config.DATABASE_URL, schema: config.DB_SCHEMA, preparedStatements: config.DB_PREPARED_STATEMENTS };
  const db = createDb<unknown>({ ...target, poolMax: config.DB_POOL_MAX, applicationName: name }, { onPoolError });
  const consumerDb = createDb<unknown>({ ...target, poolMax: config.DB_CONSUMER_POOL_MAX, applicationName: `${name}-consumers` }, { onPoolError });
  // The relay's rounds are short transactions, one at a time: two connections of its own, so busy
  // consumers can never hold back publishing.
  const relayDb = createDb<unknown>({ ...target, poolMax: 2, applicationName: `${name}-outbox` }, { onPoolError });
  registerPoolMetrics(httpMetrics.registry, { http: db, consumers: consumerDb, outbox: relayDb });
  const close = {
    name: 'close database',
    run: () => {
      poolsClosed = true;
      return Promise.all([db.destroy(), consumerDb.destroy(), relayDb.destroy()]);
    },
  };
  return { db, consumerDb, relayDb, close };
}

/**
 * Opens the metrics registry, the bus and the token verifier, and for a service with a database
 * (`config` given as a KitConfig) the pools (one for HTTP, a smaller one for consumers, two
 * connections for the outbox relay), the outbox relay and erased-user pruning.
 */
export async function openInfrastructure(
  descriptor: Descriptor,
  config: StatelessKitConfig,
  log: Logger,
  options: StartServiceOptions,
  /** Read once by the subscription check; only a service with a database has any. */
  natsDefinitions: NatsDefinitions | undefined,
): Promise<Infrastructure> {
  const stateful = natsDefinitions !== undefined;
  const { name } = descriptor;
  const httpMetrics = createMetrics({ service: name });
  const eventsMetrics = createEventsMetrics(httpMetrics.registry);
  const dbs = stateful ? openDatabases(name, config as KitConfig, log, httpMetrics) : undefined;
  let bus: EventBus;
  try {
    bus = await openBus(name, config, log, eventsMetrics, options.bus);
  } catch (err) {
    await dbs?.close.run();
    throw err;
  }
  const events = createEventCodec(descriptor.subjects, { source: name });
  const verifier = createJwtVerifier({ issuer: config.AUTH_ISSUER, jwksUrl: config.AUTH_JWKS_URL, jwks: config.AUTH_JWKS as JSONWebKeySet | undefined, log, maxTokenLifetimeSec: MAX_TOKEN_LIFETIME_SEC });
  // Every revocation a still-unexpired token could fall under; real time, as the stream keeps it.
  const since = new Date(Date.now() - MAX_TOKEN_LIFETIME_SEC * 1000);
  let revocations: RevocationFanOut;
  try {
    revocations = await startRevocationFanOut({ bus, subjects: descriptor.subjects, verifier, log, since });
  } catch (err) {
    verifier.close();
    if (!options.bus) await bus.drain();
    await dbs?.close.run();
    throw err;
  }
  const clock = options.clock ?? (() => new Date());
  const serviceToken = options.serviceToken ?? serviceTokenSourceFromConfig(config, name, log);
  const base: StatelessKit<StatelessKitConfig, SubjectMap> = { name, config, log, bus, events, registry: httpMetrics.registry, verifier, clock, serviceToken, onRevoked: revocations.onRevoked };
  const drain: ShutdownStep[] = [
    { name: 'stop users.revoked subscription', run: () => revocations.stop() },
    { name: 'stop signing-key refresh', run: () => verifier.close() },
    ...(options.bus ? [] : [{ name: 'drain bus', run: () => bus.drain() }]),
  ];
  if (!dbs || !natsDefinitions) return { kit: base, httpMetrics, eventsMetrics, revocations, closeSteps: drain };

  const full = config as KitConfig;
  const enqueue: Enqueue<SubjectMap> = (trx, subject, message, encode = {}) => enqueueEvent(trx, events, subject, message, encode);
  const enqueueWith: EnqueueWith<SubjectMap> = (db, alongside, subject, message, encode = {}) => enqueueEventWith(db, alongside, events, subject, message, encode);
  const relay = startOutboxRelay({ db: dbs.relayDb, bus, log, metrics: eventsMetrics, databaseUrl: full.DATABASE_URL });
  const erasedUsers = startErasedUserPruning(dbs.consumerDb, log, clock, full.ERASED_USER_RETENTION_DAYS);
  const kit: Kit<KitConfig, unknown, SubjectMap> = { ...base, config: full, db: dbs.db, enqueue, enqueueWith, natsDefinitions };
  const closeSteps: ShutdownStep[] = [
    { name: 'stop outbox relay', run: () => relay.stop() },
    { name: 'stop erased-user pruning', run: () => erasedUsers.stop() },
    ...drain,
    dbs.close,
  ];
  return { kit, consumerDb: dbs.consumerDb, httpMetrics, eventsMetrics, revocations, closeSteps };
}
