import type { Server } from 'node:http';
import { isSubject } from '@oo/contracts';
import { createDb, isDbReachable } from '@oo/db';
import { connectJetStreamBus, createEventsMetrics, startOutboxRelay } from '@oo/events';
import { closeServer, createJwtVerifier, listen, Readiness, type ShutdownStep } from '@oo/http';
import type { Logger } from '@oo/logger';
import { createApp } from './app';
import type { ProfileConfig } from './config';
import type { ProfileDatabase } from './db/database';
import { enqueueProfileEvent } from './events/outbox';
import { startSubscriptions } from './events/subscriptions';
import { ProfileFeaturesService, type Clock } from './features/profile-features/profile-features.service';
import type { AnyFeatureDefinition } from './features/registry/feature-definition';
import { FeatureRegistry } from './features/registry/feature-registry';
import { initialFeatures } from './features/registry/initial-features';
import { startProjectionPruning } from './features/tip-projection/projection-pruning';

export interface RunningProfileService {
  server: Server;
  features: ProfileFeaturesService;
  /** The shutdown steps in the order of the brief, for onShutdown or a test's afterAll. */
  shutdownSteps: ShutdownStep[];
}

/**
 * Wires the profile service and starts it: registry (a misspelt subject stops here), database,
 * bus, outbox relay, one consumer per registry subject, HTTP.
 *
 * @example
 * const service = await startProfileService(loadProfileConfig(), log);
 */
export async function startProfileService(
  config: ProfileConfig,
  log: Logger,
  clock: Clock = () => new Date(),
  definitions: readonly AnyFeatureDefinition[] = initialFeatures,
): Promise<RunningProfileService> {
  const registry = new FeatureRegistry(definitions, isSubject);
  const db = createDb<ProfileDatabase>(
    { url: config.DATABASE_URL, schema: config.DB_SCHEMA, applicationName: 'profile' },
    { onPoolError: (err) => log.warn({ err }, 'an idle database connection failed') },
  );
  const metrics = createEventsMetrics();
  const bus = await connectJetStreamBus({ servers: config.NATS_URL, name: 'profile', prefix: config.STREAM_PREFIX, log, metrics });
  const features = new ProfileFeaturesService({ db, registry, clock });
  const relay = startOutboxRelay({ db, bus, log, metrics, databaseUrl: config.DATABASE_URL });
  const consumers = await startSubscriptions({ bus, db, log, metrics, registry, features, concurrency: config.CONSUMER_CONCURRENCY });
  const stopPruning = startProjectionPruning(db, log, clock, config.PROJECTION_RETENTION_DAYS);
  const verifier = createJwtVerifier({ issuer: config.AUTH_ISSUER, jwksUrl: config.AUTH_JWKS_URL, jwks: config.AUTH_JWKS });
  const readiness = new Readiness()
    .add('database', () => isDbReachable(db))
    .add('nats', () => bus.health().healthy)
    .add('consumers', () => consumers.every((c) => c.health().healthy));
  const app = createApp({ db, log, readiness, verifier, registry, features, enqueue: enqueueProfileEvent, clock });
  const server = await listen(app, config.PORT);
  return {
    server,
    features,
    shutdownSteps: [
      { name: 'mark not ready', run: () => readiness.markShuttingDown() },
      { name: 'close http', run: () => closeServer(server) },
      { name: 'stop consumers', run: () => Promise.all(consumers.map((c) => c.stop())) },
      { name: 'stop outbox relay', run: () => relay.stop() },
      { name: 'stop pruning', run: stopPruning },
      { name: 'drain bus', run: () => bus.drain() },
      { name: 'close database', run: () => db.destroy() },
    ],
  };
}
