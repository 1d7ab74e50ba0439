import { join } from 'node:path';
import { fromBinary, type MessageShape } from '@bufbuild/protobuf';
import { subjects, type Subject } from '@oo/contracts';
import { createDb, migrateToLatest, sql, type Kysely } from '@oo/db';
import { connectJetStreamBus, loadNatsDefinitions, provision, type JetStreamBus, type NatsDefinitions } from '@oo/events';
import { serverPort } from '@oo/http';
import { createLogger } from '@oo/logger';
import { createTestAuth, createTestSchema, deleteStreamsWithPrefix, eventually, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { loadRecommenderConfig } from '../../src/config';
import type { RecommenderDatabase } from '../../src/db/database';
import { recommenderMigrations } from '../../src/db/migrations';
import { recommenderEvents } from '../../src/events/outbox';
import { RECOMMENDER_DURABLES } from '../../src/events/subscriptions';
import type { AdviceLibrary } from '../../src/features/advice/advice-library';
import type { Clock } from '../../src/features/decisions/recommend.service';
import { startRecommenderService, type RunningRecommenderService } from '../../src/service';
import { startFakeMlServing, startFakeProfile, type FakeMlServing, type FakeProfile } from './fake-upstreams';

/** The real recommender on port 0 over a fresh schema and a private stream prefix, with fake upstreams. */
export interface RecommenderHarness {
  baseUrl: string;
  db: Kysely<RecommenderDatabase>;
  bus: JetStreamBus;
  profile: FakeProfile;
  ml: FakeMlServing;
  service: RunningRecommenderService;
  /** The token the service presents upstream (token_use service, sub recommender). */
  serviceToken: string;
  tokenFor(userId: string, claims?: Record<string, unknown>): Promise<string>;
  /** Publishes an event the way another service's outbox relay would. */
  publish<S extends Subject>(subject: S, message: MessageShape<(typeof subjects)[S]>, userId: string): Promise<void>;
  /** How many events a durable consumer has handled (its inbox rows). */
  handled(durable: string): Promise<number>;
  /** Every event stored on `subject` so far, decoded, oldest first. */
  eventsOn<S extends Subject>(subject: S): Promise<{ headers: Record<string, string>; message: MessageShape<(typeof subjects)[S]> }[]>;
  /** Calls the API as `userId` (null: no token). */
  call(method: string, path: string, userId: string | null, body?: unknown): Promise<{ status: number; type: string; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  label: string;
  clock?: Clock;
  advice?: AdviceLibrary;
  env?: Record<string, string>;
}

/**
 * Starts the recommender as `main.ts` does, but with test keys, schema, stream prefix and local
 * fakes of profile and ml-serving that tests can make slow, absent or broken.
 *
 * @example
 * const h = await startRecommenderHarness({ label: 'recommend' });
 * afterAll(() => h.stop());
 */
export async function startRecommenderHarness(options: HarnessOptions): Promise<RecommenderHarness> {
  const target = await createTestSchema(options.label);
  const prefix = uniqueStreamPrefix(options.label);
  const auth = await createTestAuth();
  const sign = auth.sign;
  const serviceToken = await sign('recommender', { token_use: 'service' });
  const profile = await startFakeProfile(() => serviceToken);
  const ml = await startFakeMlServing(() => serviceToken);

  const bus = await connectJetStreamBus({ servers: testNatsUrl(), name: 'recommender-test', prefix });
  await provision(bus.jsm, await testDefinitions(), { prefix });
  const db = createDb<RecommenderDatabase>({ url: target.url, schema: target.schema });
  await migrateToLatest(db, { schema: target.schema, migrations: recommenderMigrations });

  const config = loadRecommenderConfig({
    PORT: '0',
    DATABASE_URL: target.url,
    DB_SCHEMA: target.schema,
    NATS_URL: testNatsUrl(),
    STREAM_PREFIX: prefix,
    AUTH_ISSUER: auth.issuer,
    AUTH_JWKS: auth.jwks,
    SERVICE_TOKEN: serviceToken,
    PROFILE_URL: profile.url,
    ML_SERVING_URL: ml.url,
    // Generous budgets keep a loaded test machine from turning normal calls into fallbacks; the
    // fakes' slow mode (2.5 s) still runs past them.
    PROFILE_TIMEOUT_MS: '1000',
    ML_TIMEOUT_MS: '1000',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    ...options.env,
  });
  const log = createLogger({ service: 'recommender', level: config.LOG_LEVEL });
  const service = await startRecommenderService(config, log, options.clock, options.advice);
  const baseUrl = `http://127.0.0.1:${serverPort(service.server)}`;
  // The service reads profile's registry as it starts; once it has, fetch is loaded and warm, so a
  // test's first decision is not the one that pays for that.
  await eventually(async () => (profile.registryReads > 0 ? true : undefined), 'the registry read at start');

  return {
    baseUrl,
    db,
    bus,
    profile,
    ml,
    service,
    serviceToken,
    tokenFor: (userId, claims) => sign(userId, claims),
    publish: async (subject, message, userId) => {
      await bus.publish(recommenderEvents.encode(subject, message, { userId, source: 'integrations' }));
    },
    handled: async (durable) => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from event_inbox where consumer = ${durable}`.execute(db);
      return rows[0]?.n ?? 0;
    },
    eventsOn: async <S extends Subject>(subject: S) => {
      const stream = `${prefix}_${subject.split('.')[0]?.toUpperCase()}`;
      const { state } = await bus.jsm.streams.info(stream);
      const found: { headers: Record<string, string>; message: MessageShape<(typeof subjects)[S]> }[] = [];
      for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
        const stored = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (!stored || stored.subject !== `${prefix}.${subject}`) continue;
        const headers: Record<string, string> = {};
        for (const [key, values] of stored.header) headers[key] = values[0] ?? '';
        found.push({ headers, message: fromBinary(subjects[subject], stored.data) as MessageShape<(typeof subjects)[S]> });
      }
      return found;
    },
    call: async (method, path, userId, body) => {
      const token = userId === null ? null : await sign(userId);
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    stop: async () => {
      for (const step of service.shutdownSteps) await (typeof step === 'function' ? step() : step.run());
      await Promise.all([profile.stop(), ml.stop()]);
      // Streams reserve their byte limits on the shared server: give them back.
      await deleteStreamsWithPrefix(bus.jsm, prefix);
      await bus.drain();
      await db.destroy();
      await target.drop();
    },
  };
}

// The recommender's streams and consumers as deployed (only the ones this build runs), with small
// byte limits: JetStream reserves each stream's limit, and many test files share one server.
async function testDefinitions(): Promise<NatsDefinitions> {
  const all = await loadNatsDefinitions(join(__dirname, '../../../../deploy/nats'));
  const consumers = all.consumers.filter((c) => RECOMMENDER_DURABLES.includes(c.durable));
  const used = new Set([...consumers.map((c) => c.stream), 'DEADLETTER']);
  const streams = all.streams.filter((s) => used.has(s.name)).map((s) => ({ ...s, maxBytes: 64 * 1024 * 1024 }));
  return { streams, consumers };
}
