import type { Server } from 'node:http';
import { createDb, isDbReachable } from '@oo/db';
import { createDecisionFeaturizer } from '@oo/decision-features';
import { connectJetStreamBus, createEventsMetrics, startOutboxRelay } from '@oo/events';
import { closeServer, createJwtVerifier, createMetrics, listen, Readiness, type ShutdownStep } from '@oo/http';
import type { Logger } from '@oo/logger';
import { createApp } from './app';
import type { MlServingConfig } from './config';
import type { MlDatabase } from './db/database';
import { startSubscriptions } from './events/subscriptions';
import { LiveModel } from './features/model-state/live-model';
import { registerLayout } from './features/model-state/model-state.repository';
import { RewardJoin, type Clock } from './features/reward-join/reward-join.service';
import { rewardRulesFrom } from './features/reward-join/reward-rules';
import { startRewardSweeper, type RewardSweeper } from './features/reward-join/reward-sweeper';
import { createPolicyCatalog } from './features/scoring/policy-catalog';
import { createScorer, type Scorer } from './features/scoring/scoring.service';
import { createMlMetrics } from './metrics';

export interface RunningMlServingService {
  server: Server;
  live: LiveModel;
  scorer: Scorer;
  sweeper: RewardSweeper;
  /** The shutdown steps in the order of the brief, for onShutdown or a test's afterAll. */
  shutdownSteps: ShutdownStep[];
}

/**
 * Wires ml-serving and starts it: database, bus, the model (loaded in the background; not ready
 * until it has caught up with the observation log), the reward-join consumers, the sweeper, HTTP.
 *
 * @example
 * const service = await startMlServingService(loadMlServingConfig(), log);
 */
export async function startMlServingService(config: MlServingConfig, log: Logger, clock: Clock = () => new Date()): Promise<RunningMlServingService> {
  const featurizer = createDecisionFeaturizer();
  const db = createDb<MlDatabase>(
    { url: config.DATABASE_URL, schema: config.DB_SCHEMA, applicationName: 'ml-serving' },
    { onPoolError: (err) => log.warn({ err }, 'an idle database connection failed') },
  );
  const httpMetrics = createMetrics({ service: 'ml-serving' });
  const metrics = createMlMetrics(httpMetrics.registry);
  const eventsMetrics = createEventsMetrics(httpMetrics.registry);
  const live = new LiveModel({
    db,
    layout: featurizer.builder.layout,
    log,
    metrics,
    clock,
    databaseUrl: config.DATABASE_URL,
    schema: config.DB_SCHEMA,
    freshConfig: { lambda: config.MODEL_LAMBDA, userLambda: config.MODEL_USER_LAMBDA },
    pollIntervalMs: config.MODEL_POLL_INTERVAL_MS,
    checkpointEvery: config.CHECKPOINT_EVERY,
    snapshotRetention: config.SNAPSHOT_RETENTION,
  });
  // Before any settlement: instances still on another layout read this one's vectors by name.
  await registerLayout(db, featurizer.builder.layout);
  live.start();
  const bus = await connectJetStreamBus({ servers: config.NATS_URL, name: 'ml-serving', prefix: config.STREAM_PREFIX, log, metrics: eventsMetrics });
  const join = new RewardJoin({ featurizer, rules: rewardRulesFrom(config), log, metrics, clock });
  const relay = startOutboxRelay({ db, bus, log, metrics: eventsMetrics, databaseUrl: config.DATABASE_URL });
  const consumers = await startSubscriptions({ bus, db, log, metrics: eventsMetrics, join, clock, concurrency: config.CONSUMER_CONCURRENCY });
  const sweeper = startRewardSweeper({ db, join, log, clock, intervalMs: config.REWARD_SWEEP_INTERVAL_MS, retentionMs: config.DECISION_RETENTION_MS });
  const scorer = createScorer({ featurizer, catalog: createPolicyCatalog(config.POLICIES), currentModel: () => live.current() });
  const verifier = createJwtVerifier({ issuer: config.AUTH_ISSUER, jwksUrl: config.AUTH_JWKS_URL, jwks: config.AUTH_JWKS });
  const readiness = new Readiness()
    .add('model', () => live.isReady())
    .add('database', () => isDbReachable(db))
    .add('nats', () => bus.health().healthy)
    .add('consumers', () => consumers.every((c) => c.health().healthy));
  const app = createApp({ log, readiness, verifier, httpMetrics, metrics, scorer, live });
  const server = await listen(app, config.PORT);
  return {
    server,
    live,
    scorer,
    sweeper,
    shutdownSteps: [
      { name: 'mark not ready', run: () => readiness.markShuttingDown() },
      { name: 'close http', run: () => closeServer(server) },
      { name: 'stop consumers', run: () => Promise.all(consumers.map((c) => c.stop())) },
      { name: 'stop sweeper', run: () => sweeper.stop() },
      { name: 'stop model', run: () => live.stop() },
      { name: 'stop outbox relay', run: () => relay.stop() },
      { name: 'drain bus', run: () => bus.drain() },
      { name: 'close database', run: () => db.destroy() },
    ],
  };
}
