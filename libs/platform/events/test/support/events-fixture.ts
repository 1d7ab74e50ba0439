import { Int64ValueSchema, StringValueSchema } from '@bufbuild/protobuf/wkt';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createDb, migrateToLatest, sql, type Generated, type Kysely, type MigrationSet, type Selectable } from '@oo/db';
import {
  createEventCodec,
  createJetStreamBus,
  eventsMigrations,
  provision,
  validateDefinitions,
  type ConsumerDefinition,
  type JetStreamBus,
  type JetStreamBusOptions,
} from '../../src';
import { createTestSchema, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';

/** The test's subject map: well-known types stand in for contracts (a platform lib cannot import them). */
export const testSubjects = {
  'signals.test.counted': Int64ValueSchema,
  'signals.test.noted': StringValueSchema,
} as const;

export const codec = createEventCodec(testSubjects, { source: 'events-test' });

/** The handlers' side effects: one row per application, in the order they were applied. */
export interface AppliedTable {
  position: Generated<string>;
  event_id: string;
  user_key: string | null;
  value: string;
}

export interface TestDatabase {
  applied: AppliedTable;
}

/** The test's own table, `applied`: what handlers did, in order. */
export const testMigrations: MigrationSet = {
  '2026_11_21_100000_create_applied': {
    async up(db) {
      await sql`create table applied (position bigserial primary key, event_id text not null, user_key text, value text not null)`.execute(db);
    },
    async down(db) {
      await sql`drop table applied`.execute(db);
    },
  },
};

/** A consumer definition for the test stream, with short timings so failures show quickly. */
export function testConsumer(durable: string, filterSubject: string, overrides: Partial<ConsumerDefinition> = {}): ConsumerDefinition {
  return {
    durable,
    description: 'test consumer',
    stream: 'SIGNALS',
    filterSubject,
    ackWait: 2_000,
    maxDeliver: 4,
    maxAckPending: 1_000,
    ...overrides,
  };
}

const stream = (name: string, subject: string) => ({
  name,
  description: 'test stream',
  subjects: [subject],
  storage: 'file' as const,
  maxAge: 3_600_000,
  maxBytes: 256 * 1024 ** 2,
  maxMsgSize: 1024 ** 2,
  duplicateWindow: 120_000,
  replicas: 1,
});

export interface EventsFixture {
  prefix: string;
  db: Kysely<TestDatabase>;
  databaseUrl: string;
  schema: string;
  bus: JetStreamBus;
  jsm: JetStreamManager;
  /** Ids and values of the applied side effects, in application order. */
  applied(): Promise<Selectable<AppliedTable>[]>;
  close(): Promise<void>;
}

/**
 * A fresh schema (events tables + `applied`), a bus under a unique stream prefix on `natsUrl`
 * (the shared server unless a private one is given), and the SIGNALS and DEADLETTER streams with
 * the given consumers provisioned.
 */
export async function createEventsFixture(
  label: string,
  consumers: ConsumerDefinition[],
  options: { natsUrl?: string; bus?: JetStreamBusOptions } = {},
): Promise<EventsFixture> {
  const testSchema = await createTestSchema(label);
  const db = createDb<TestDatabase>({ url: testSchema.url, schema: testSchema.schema, poolMax: 12 });
  await migrateToLatest(db, { schema: testSchema.schema, migrations: { ...eventsMigrations, ...testMigrations } });
  const prefix = uniqueStreamPrefix(label);
  const nc = await connect({ servers: options.natsUrl ?? testNatsUrl(), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const bus = await createJetStreamBus(nc, { prefix, publishTimeoutMs: 2_000, fetchExpiresMs: 1_000, idleHeartbeatMs: 500, ...options.bus });
  const jsm = await jetstreamManager(nc);
  const definitions = validateDefinitions([stream('SIGNALS', 'signals.>'), stream('DEADLETTER', 'deadletter.>')], [
    { service: consumers[0]?.durable.split('__')[0] ?? 'test', consumers },
  ]);
  await provision(jsm, definitions, { prefix });
  return {
    prefix,
    db,
    databaseUrl: testSchema.url,
    schema: testSchema.schema,
    bus,
    jsm,
    applied: () => db.selectFrom('applied').selectAll().orderBy('position').execute(),
    async close() {
      await bus.drain();
      for (const name of ['SIGNALS', 'DEADLETTER']) await jsm.streams.delete(`${prefix}_${name}`).catch(() => false);
      await nc.close();
      await db.destroy();
      await testSchema.drop();
    },
  };
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
