import type { Server } from 'node:http';
import { Counter } from 'prom-client';
import { createDb, isDbReachable } from '@oo/db';
import { connectJetStreamBus, createEventsMetrics, startOutboxRelay } from '@oo/events';
import { closeServer, createJwtVerifier, createMetrics, listen, Readiness, type ShutdownStep } from '@oo/http';
import type { Logger } from '@oo/logger';
import { createApp } from './app';
import type { RecommenderConfig } from './config';
import type { RecommenderDatabase } from './db/database';
import { enqueueRecommenderEvent } from './events/outbox';
import { startSubscriptions } from './events/subscriptions';
import { defaultAdviceLibrary, type AdviceLibrary } from './features/advice/advice-library';
import { createProfileClient } from './features/context/profile-client';
import type { Clock } from './features/decisions/recommend.service';
import { createMlClient } from './features/scoring/ml-client';

export interface RunningRecommenderService {
  server: Server;
  /** The shutdown steps in the order of the brief, for onShutdown or a test's afterAll. */
  shutdownSteps: ShutdownStep[];
}

/**
 * Wires the recommender and starts it: advice library (a bad file stops here), database, bus,
 * outbox relay, the candidate consumers, the upstream clients, HTTP. Profile and ml-serving need
 * not be up: decisions fall back without them.
 *
 * @example
 * const service = await startRecommenderService(loadRecommenderConfig(), log);
 */
export async function startRecommenderService(
  config: RecommenderConfig,
  log: Logger,
  clock: Clock = () => new Date(),
  advice: AdviceLibrary = defaultAdviceLibrary(),
): Promise<RunningRecommenderService> {
  const db = createDb<RecommenderDatabase>(
    { url: config.DATABASE_URL, schema: config.DB_SCHEMA, applicationName: 'recommender' },
    { onPoolError: (err) => log.warn({ err }, 'an idle database connection failed') },
  );
  const metrics = createMetrics({ service: 'recommender' });
  const eventsMetrics = createEventsMetrics(metrics.registry);
  const decisions = new Counter({
    name: 'oo_recommender_decisions_total',
    help: 'Decisions served, by the policy that chose and the fallback reason (none when ml-serving chose)',
    labelNames: ['policy', 'fallback_reason'],
    registers: [metrics.registry],
  });
  const bus = await connectJetStreamBus({ servers: config.NATS_URL, name: 'recommender', prefix: config.STREAM_PREFIX, log, metrics: eventsMetrics });
  const relay = startOutboxRelay({ db, bus, log, metrics: eventsMetrics, databaseUrl: config.DATABASE_URL });
  const consumers = await startSubscriptions({
    bus,
    db,
    log,
    metrics: eventsMetrics,
    concurrency: config.CONSUMER_CONCURRENCY,
    clock,
    enqueue: enqueueRecommenderEvent,
  });
  const profile = createProfileClient({
    baseUrl: config.PROFILE_URL,
    serviceToken: config.SERVICE_TOKEN,
    timeoutMs: config.PROFILE_TIMEOUT_MS,
    registryRefreshMs: config.REGISTRY_REFRESH_MS,
    log,
  });
  // Not awaited: profile may come up after us, and neutral fallbacks serve until it does.
  void profile.refreshRegistry();
  const scorer = createMlClient({ baseUrl: config.ML_SERVING_URL, serviceToken: config.SERVICE_TOKEN, timeoutMs: config.ML_TIMEOUT_MS, log });
  const verifier = createJwtVerifier({ issuer: config.AUTH_ISSUER, jwksUrl: config.AUTH_JWKS_URL, jwks: config.AUTH_JWKS });
  const readiness = new Readiness()
    .add('database', () => isDbReachable(db))
    .add('nats', () => bus.health().healthy)
    .add('consumers', () => consumers.every((c) => c.health().healthy));
  const app = createApp({
    db,
    log,
    readiness,
    metrics,
    verifier,
    advice,
    recommend: {
      db,
      clock,
      advice,
      profile,
      scorer,
      enqueue: enqueueRecommenderEvent,
      policies: { live: config.LIVE_POLICY, shadows: config.SHADOW_POLICIES },
      maxTaskCandidates: config.MAX_TASK_CANDIDATES,
      localEpsilon: config.LOCAL_POLICY_EPSILON,
      onDecision: (choice) => decisions.inc({ policy: choice.policy, fallback_reason: choice.fallbackReason ?? 'none' }),
    },
  });
  const server = await listen(app, config.PORT);
  return {
    server,
    shutdownSteps: [
      { name: 'mark not ready', run: () => readiness.markShuttingDown() },
      { name: 'close http', run: () => closeServer(server) },
      { name: 'stop consumers', run: () => Promise.all(consumers.map((c) => c.stop())) },
      { name: 'stop outbox relay', run: () => relay.stop() },
      {
        name: 'close upstream connections',
        run: () => {
          profile.stop();
          scorer.close();
        },
      },
      { name: 'drain bus', run: () => bus.drain() },
      { name: 'close database', run: () => db.destroy() },
    ],
  };
}
