import { fromBinary } from '@bufbuild/protobuf';
import { createDb, migrateToLatest, sql, type Kysely } from '@oo/db';
import {
  connectJetStreamBus,
  createEventCodec,
  loadNatsDefinitions,
  provision,
  type EncodeOptions,
  type JetStreamBus,
  type MessageOf,
  type NatsDefinitions,
  type SubjectMap,
  type SubjectOf,
} from '@oo/events';
import {
  findNatsDefinitions,
  isStatelessService,
  startService,
  type AnyServiceDescriptor,
  type ContextOf,
  type KitConfig,
  type RunningService,
  type ServiceDescriptor,
  type StatelessKitConfig,
  type StatelessServiceDescriptor,
} from '@oo/service';
import { createTestAuth, createTestSchema, deleteStreamsWithPrefix, testNatsUrl, uniqueStreamPrefix, type TestAuth } from '@oo/testing';

export interface ServiceHarnessOptions<DB> {
  /** Names the schema and stream prefix, e.g. `recommender-feedback`. */
  label: string;
  /** Extra environment for every instance (the harness sets database, NATS, keys and PORT=0). */
  env?: Record<string, string>;
  clock?: () => Date;
  /** The signing key of the test's tokens, when the caller needs one before the start (e.g. for SERVICE_TOKEN). */
  auth?: TestAuth;
  /** What `ctx.serviceToken()` returns (default: a `token_use: service` token for the service, signed with the test keys). */
  serviceToken?: () => Promise<string>;
  /** Runs after migrations, before the first instance starts (e.g. to seed state). */
  beforeStart?: (db: Kysely<DB>) => Promise<void>;
}

export interface InstanceOptions {
  env?: Record<string, string>;
  clock?: () => Date;
}

/** A declared service running for real on port 0, over a fresh schema and its own stream prefix. */
export interface ServiceHarness<Ctx, DB, M extends SubjectMap> {
  readonly baseUrl: string;
  readonly service: RunningService<Ctx>;
  /** The service's context: its kit and its own parts, for assertions. */
  readonly ctx: Ctx;
  /** A connection of the test's own to the service's schema. */
  readonly db: Kysely<DB>;
  /** A bus of the test's own on the service's streams. */
  readonly bus: JetStreamBus;
  readonly prefix: string;
  readonly auth: TestAuth;
  /** A user's access token (`token_use: access`), e.g. `tokenFor('ada', { roles: ['admin'] })`. */
  tokenFor(userId: string, claims?: Record<string, unknown>): Promise<string>;
  /** Another service's token (`token_use: service`). */
  serviceToken(service: string): Promise<string>;
  /** Publishes an event as another service's outbox relay would (`source` names that service). */
  publish<S extends SubjectOf<M>>(subject: S, message: MessageOf<M, S>, userId: string, options?: EncodeOptions & { msgId?: string }): Promise<void>;
  /** Calls the API as `caller`: a user id (an access token is signed), `{ token }`, or null for no token. */
  call(method: string, path: string, caller: string | { token: string } | null, body?: unknown): Promise<{ status: number; type: string; headers: Headers; body: Record<string, unknown> }>;
  /** How many events a durable consumer has handled (its inbox rows). */
  handled(durable: string): Promise<number>;
  /** Every event stored on `subject` so far, decoded, oldest first. */
  eventsOn<S extends SubjectOf<M>>(subject: S): Promise<{ headers: Record<string, string>; message: MessageOf<M, S> }[]>;
  /** Starts another instance on the same schema and streams (it shares the durable consumers). */
  startInstance(options?: InstanceOptions): Promise<RunningService<Ctx>>;
  stop(): Promise<void>;
}

/** A stateless service's harness: no schema, so no `db` and no inbox to count. */
export type StatelessServiceHarness<Ctx, M extends SubjectMap> = Omit<ServiceHarness<Ctx, never, M>, 'db' | 'handled'>;

// Every stream as deployed, small: JetStream reserves each stream's byte limit and many test files share one server.
async function testDefinitions(service: string): Promise<NatsDefinitions> {
  const all = await loadNatsDefinitions(findNatsDefinitions(process.env));
  return {
    streams: all.streams.map((s) => ({ ...s, maxBytes: Math.min(s.maxBytes, 16 * 1024 * 1024) })),
    consumers: all.consumers.filter((c) => c.durable.startsWith(`${service}__`)),
  };
}

// The test keys' tokens live 10 minutes: sign one, and a new one after five.
function testServiceToken(auth: TestAuth, service: string): () => Promise<string> {
  let held: { token: Promise<string>; atMs: number } | undefined;
  return () => {
    if (!held || Date.now() - held.atMs > 300_000) held = { token: auth.sign(service, { token_use: 'service' }), atMs: Date.now() };
    return held.token;
  };
}

/**
 * Starts a declared service the way `main.ts` does — same kit, same wiring — but with a fresh
 * schema (migrated), its consumers provisioned under a private stream prefix, and test keys.
 *
 * @example
 * const h = await startServiceHarness(recommender, { label: 'recommender-feedback', clock: () => now });
 * const res = await h.call('POST', '/v1/recommend', 'ada');
 * afterAll(() => h.stop());
 */
export async function startServiceHarness<C extends KitConfig, DB, M extends SubjectMap, Own extends object>(
  descriptor: ServiceDescriptor<C, DB, M, Own>,
  options: ServiceHarnessOptions<DB>,
): Promise<ServiceHarness<ContextOf<ServiceDescriptor<C, DB, M, Own>>, DB, M>>;
export async function startServiceHarness<C extends StatelessKitConfig, M extends SubjectMap, Own extends object>(
  descriptor: StatelessServiceDescriptor<C, M, Own>,
  options: Omit<ServiceHarnessOptions<never>, 'beforeStart'>,
): Promise<StatelessServiceHarness<ContextOf<StatelessServiceDescriptor<C, M, Own>>, M>>;
export async function startServiceHarness(
  descriptor: AnyServiceDescriptor,
  options: ServiceHarnessOptions<unknown>,
): Promise<ServiceHarness<unknown, unknown, SubjectMap> | StatelessServiceHarness<unknown, SubjectMap>> {
  type Ctx = unknown;
  type M = SubjectMap;
  const stateful = !isStatelessService(descriptor);
  const target = stateful ? await createTestSchema(options.label) : undefined;
  const prefix = uniqueStreamPrefix(options.label);
  const auth = options.auth ?? (await createTestAuth());
  const bus = await connectJetStreamBus({ servers: testNatsUrl(), name: `${descriptor.name}-test`, prefix });
  const db = target ? createDb<unknown>({ url: target.url, schema: target.schema }) : undefined;
  const started: RunningService<Ctx>[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const instance of started.reverse()) await instance.stop();
    await deleteStreamsWithPrefix(bus.jsm, prefix);
    await bus.drain();
    await db?.destroy();
    await target?.drop();
  };
  try {
    await bus.whenConnected();
    await provision(bus.jsm, await testDefinitions(descriptor.name), { prefix });
    if (db && target) {
      await migrateToLatest(db, { schema: target.schema, migrations: (descriptor as ServiceDescriptor<KitConfig, unknown, M, object>).migrations });
      await options.beforeStart?.(db);
    }
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const baseEnv = {
    PORT: '0',
    ...(target ? { DATABASE_URL: target.url, DB_SCHEMA: target.schema } : {}),
    NATS_URL: testNatsUrl(),
    STREAM_PREFIX: prefix,
    AUTH_ISSUER: auth.issuer,
    AUTH_JWKS: auth.jwks,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    ...options.env,
  };
  const serviceToken = options.serviceToken ?? testServiceToken(auth, descriptor.name);
  const startInstance = async (instance: InstanceOptions = {}): Promise<RunningService<Ctx>> => {
    const running = await startService(descriptor as ServiceDescriptor<KitConfig, unknown, M, object>, {
      env: { ...baseEnv, ...instance.env },
      clock: instance.clock ?? options.clock,
      serviceToken,
    });
    started.push(running);
    return running;
  };
  let first: RunningService<Ctx>;
  try {
    first = await startInstance();
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const codecs = new Map<string, ReturnType<typeof createEventCodec<M>>>();
  const codecFor = (source: string) => {
    const codec = codecs.get(source) ?? createEventCodec(descriptor.subjects, { source });
    codecs.set(source, codec);
    return codec;
  };
  const tokenFor = (userId: string, claims: Record<string, unknown> = {}) => auth.sign(userId, { token_use: 'access', ...claims });
  return {
    baseUrl: first.url,
    service: first,
    ctx: first.ctx,
    ...(db ? { db } : {}),
    bus,
    prefix,
    auth,
    tokenFor,
    serviceToken: (service) => auth.sign(service, { token_use: 'service' }),
    publish: async (subject, message, userId, { msgId, ...encode } = {}) => {
      const event = codecFor(encode.source ?? 'test').encode(subject, message, { userId, ...encode });
      await bus.publish(msgId ? { ...event, msgId } : event);
    },
    call: async (method, path, caller, body) => {
      const token = caller === null ? null : typeof caller === 'string' ? await tokenFor(caller) : caller.token;
      const res = await fetch(`${first.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const parsed = text && /json/.test(res.headers.get('content-type') ?? '') ? (JSON.parse(text) as Record<string, unknown>) : { text };
      return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, body: parsed };
    },
    handled: async (durable: string) => {
      if (!db) throw new Error(`${descriptor.name} is stateless: it has no inbox`);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from event_inbox where consumer = ${durable}`.execute(db);
      return rows[0]?.n ?? 0;
    },
    eventsOn: async <S extends SubjectOf<M>>(subject: S) => {
      const stream = await bus.jsm.streams.find(`${prefix}.${subject}`);
      const { state } = await bus.jsm.streams.info(stream);
      const found: { headers: Record<string, string>; message: MessageOf<M, S> }[] = [];
      for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
        const stored = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (!stored || stored.subject !== `${prefix}.${subject}`) continue;
        const headers: Record<string, string> = {};
        for (const [key, values] of stored.header) headers[key] = values[0] ?? '';
        found.push({ headers, message: fromBinary(descriptor.subjects[subject] as never, stored.data) as MessageOf<M, S> });
      }
      return found;
    },
    startInstance,
    stop: cleanUp,
  };
}
