import { join } from 'node:path';
import type { MessageShape } from '@bufbuild/protobuf';
import { subjects, type Subject } from '@oo/contracts';
import { createDb, migrateToLatest, type Kysely } from '@oo/db';
import { connectJetStreamBus, loadNatsDefinitions, provision, type JetStreamBus, type NatsDefinitions } from '@oo/events';
import { createLogger } from '@oo/logger';
import { createTestAuth, createTestSchema, deleteStreamsWithPrefix, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { loadProfileConfig } from '../../src/config';
import type { ProfileDatabase } from '../../src/db/database';
import { profileMigrations } from '../../src/db/migrations';
import { profileEvents } from '../../src/events/outbox';
import type { Clock } from '../../src/features/profile-features/profile-features.service';
import type { AnyFeatureDefinition } from '../../src/features/registry/feature-definition';
import { startProfileService, type RunningProfileService } from '../../src/service';
import { serverPort } from '@oo/http';

/** The real profile service on port 0 over a fresh schema and a private stream prefix. */
export interface ProfileHarness {
  baseUrl: string;
  db: Kysely<ProfileDatabase>;
  bus: JetStreamBus;
  service: RunningProfileService;
  tokenFor(userId: string, roles?: string[]): Promise<string>;
  /** Publishes an event the way another service's outbox relay would. */
  publish<S extends Subject>(subject: S, message: MessageShape<(typeof subjects)[S]>, userId: string): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  label: string;
  clock?: Clock;
  definitions?: readonly AnyFeatureDefinition[];
}

/**
 * Starts the profile service as `main.ts` does, but with test keys, schema and stream prefix.
 *
 * @example
 * const h = await startProfileHarness({ label: 'profile-http' });
 * afterAll(() => h.stop());
 */
export async function startProfileHarness(options: HarnessOptions): Promise<ProfileHarness> {
  const target = await createTestSchema(options.label);
  const prefix = uniqueStreamPrefix(options.label);
  const auth = await createTestAuth();

  const bus = await connectJetStreamBus({ servers: testNatsUrl(), name: 'profile-test', prefix });
  await provision(bus.jsm, await testDefinitions(), { prefix });
  const db = createDb<ProfileDatabase>({ url: target.url, schema: target.schema });
  await migrateToLatest(db, { schema: target.schema, migrations: profileMigrations });

  const config = loadProfileConfig({
    PORT: '0',
    DATABASE_URL: target.url,
    DB_SCHEMA: target.schema,
    NATS_URL: testNatsUrl(),
    STREAM_PREFIX: prefix,
    AUTH_ISSUER: auth.issuer,
    AUTH_JWKS: auth.jwks,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
  });
  const log = createLogger({ service: 'profile', level: config.LOG_LEVEL });
  const service = await startProfileService(config, log, options.clock, options.definitions);

  return {
    baseUrl: `http://127.0.0.1:${serverPort(service.server)}`,
    db,
    bus,
    service,
    tokenFor: (userId, roles = []) => auth.sign(userId, { roles }),
    publish: async (subject, message, userId) => {
      await bus.publish(profileEvents.encode(subject, message, { userId, source: 'recommender' }));
    },
    stop: async () => {
      for (const step of service.shutdownSteps) await (typeof step === 'function' ? step() : step.run());
      // Streams reserve their byte limits on the shared server: give them back.
      await deleteStreamsWithPrefix(bus.jsm, prefix);
      await bus.drain();
      await db.destroy();
      await target.drop();
    },
  };
}

// The profile's streams and consumers as deployed, with small byte limits: JetStream reserves
// each stream's limit, and many test files share one server.
async function testDefinitions(): Promise<NatsDefinitions> {
  const all = await loadNatsDefinitions(join(__dirname, '../../../../deploy/nats'));
  const consumers = all.consumers.filter((c) => c.durable.startsWith('profile__'));
  const used = new Set([...consumers.map((c) => c.stream), 'PROFILE', 'DEADLETTER']);
  const streams = all.streams.filter((s) => used.has(s.name)).map((s) => ({ ...s, maxBytes: 64 * 1024 * 1024 }));
  return { streams, consumers };
}
