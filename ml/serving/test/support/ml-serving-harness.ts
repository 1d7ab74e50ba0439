import { join } from 'node:path';
import type { MessageShape } from '@bufbuild/protobuf';
import { subjects, type Subject } from '@oo/contracts';
import { createDb, migrateToLatest, type Kysely } from '@oo/db';
import { connectJetStreamBus, createEventCodec, loadNatsDefinitions, provision, type JetStreamBus, type NatsDefinitions } from '@oo/events';
import { serverPort } from '@oo/http';
import { createLogger } from '@oo/logger';
import { createTestAuth, createTestSchema, deleteStreamsWithPrefix, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { loadMlServingConfig } from '../../src/config';
import type { MlDatabase } from '../../src/db/database';
import { mlServingMigrations } from '../../src/db/migrations';
import type { Clock } from '../../src/features/reward-join/reward-join.service';
import { startMlServingService, type RunningMlServingService } from '../../src/service';

// Events as the recommender's outbox relay would publish them.
const recommenderEvents = createEventCodec(subjects, { source: 'recommender' });

/** One running instance of ml-serving. */
export interface MlInstance {
  baseUrl: string;
  service: RunningMlServingService;
  stop(): Promise<void>;
}

/** ml-serving on port 0 over a fresh schema and a private stream prefix; more instances may join. */
export interface MlHarness extends MlInstance {
  db: Kysely<MlDatabase>;
  bus: JetStreamBus;
  /** A bearer token: a service token (`token_use: service`), an admin's or a plain user's. */
  token(kind: 'service' | 'admin' | 'user'): Promise<string>;
  /** Publishes an event the way the recommender's outbox relay would; `id` fixes the ce-id. */
  publish<S extends Subject>(subject: S, message: MessageShape<(typeof subjects)[S]>, userId: string, options?: { id?: string; msgId?: string }): Promise<void>;
  /** Starts another instance on the same schema and streams (it shares the durable consumers). */
  startInstance(options?: InstanceOptions): Promise<MlInstance>;
}

export interface InstanceOptions {
  clock?: Clock;
  env?: Record<string, string>;
  /** Resolve only once the model is loaded (default true). */
  waitForModel?: boolean;
}

export interface HarnessOptions {
  label: string;
  clock?: Clock;
  env?: Record<string, string>;
  /** Runs after migrations and before the first instance starts (e.g. to seed a snapshot). */
  beforeStart?: (db: Kysely<MlDatabase>) => Promise<void>;
}

/**
 * Starts ml-serving as `main.ts` does, but with test keys, schema and stream prefix, and short
 * poll and sweep intervals.
 *
 * @example
 * const h = await startMlHarness({ label: 'ml-score' });
 * afterAll(() => h.stop());
 */
export async function startMlHarness(options: HarnessOptions): Promise<MlHarness> {
  const target = await createTestSchema(options.label);
  const prefix = uniqueStreamPrefix(options.label);
  const auth = await createTestAuth();

  const bus = await connectJetStreamBus({ servers: testNatsUrl(), name: 'ml-serving-test', prefix });
  await provision(bus.jsm, await testDefinitions(), { prefix });
  const db = createDb<MlDatabase>({ url: target.url, schema: target.schema });
  await migrateToLatest(db, { schema: target.schema, migrations: mlServingMigrations });
  await options.beforeStart?.(db);

  const started: MlInstance[] = [];
  const startInstance = async (instance: InstanceOptions = {}): Promise<MlInstance> => {
    const config = loadMlServingConfig({
      PORT: '0',
      DATABASE_URL: target.url,
      DB_SCHEMA: target.schema,
      NATS_URL: testNatsUrl(),
      STREAM_PREFIX: prefix,
      AUTH_ISSUER: auth.issuer,
      AUTH_JWKS: auth.jwks,
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
      MODEL_POLL_INTERVAL_MS: '250',
      REWARD_SWEEP_INTERVAL_MS: '100',
      ...options.env,
      ...instance.env,
    });
    const log = createLogger({ service: 'ml-serving', level: config.LOG_LEVEL });
    const service = await startMlServingService(config, log, instance.clock ?? options.clock);
    const running: MlInstance = {
      baseUrl: `http://127.0.0.1:${serverPort(service.server)}`,
      service,
      stop: async () => {
        for (const step of service.shutdownSteps) await (typeof step === 'function' ? step() : step.run());
      },
    };
    // Registered before waiting, so a model that never loads still gets stopped.
    started.push(running);
    if (instance.waitForModel ?? true) await service.live.loaded;
    return running;
  };

  const first = await startInstance();
  const sign = auth.sign;

  return {
    ...first,
    db,
    bus,
    token: (kind) =>
      kind === 'service' ? sign('recommender', { token_use: 'service' }) : sign(kind === 'admin' ? 'ada' : 'bea', { roles: kind === 'admin' ? ['admin'] : [] }),
    publish: async (subject, message, userId, publishOptions = {}) => {
      const event = recommenderEvents.encode(subject, message, { userId, ...(publishOptions.id ? { id: publishOptions.id } : {}) });
      await bus.publish(publishOptions.msgId ? { ...event, msgId: publishOptions.msgId } : event);
    },
    startInstance,
    stop: async () => {
      for (const instance of started.reverse()) await instance.stop();
      // Streams reserve their byte limits on the shared server: give them back.
      await deleteStreamsWithPrefix(bus.jsm, prefix);
      await bus.drain();
      await db.destroy();
      await target.drop();
    },
  };
}

// ml-serving's streams and consumers as deployed, with small byte limits: JetStream reserves each
// stream's limit, and many test files share one server.
async function testDefinitions(): Promise<NatsDefinitions> {
  const all = await loadNatsDefinitions(join(__dirname, '../../../../deploy/nats'));
  const consumers = all.consumers.filter((c) => c.durable.startsWith('ml-serving__'));
  const used = new Set([...consumers.map((c) => c.stream), 'DEADLETTER']);
  const streams = all.streams.filter((s) => used.has(s.name)).map((s) => ({ ...s, maxBytes: 64 * 1024 * 1024 }));
  return { streams, consumers };
}
