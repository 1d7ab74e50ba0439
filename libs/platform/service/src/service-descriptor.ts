import type { ServiceName } from '@oo/config';
import type { Kysely, MigrationSet, OperationNodeSource, Transaction } from '@oo/db';
import type { EnqueuedEvent, EnqueueOptions, EventBus, EventCodec, MessageOf, NatsDefinitions, ReceivedEvent, SubjectMap, SubjectOf } from '@oo/events';
import type { TokenVerifier } from '@oo/http';
import type { Logger } from '@oo/logger';
import type { RequestHandler, Router } from 'express';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { ServiceKitError } from './service-error';
import type { RevokedListener } from './revocation-fan-out';

/** The keys the kit reads from every service's configuration (`statelessServiceSchema`). */
export interface StatelessKitConfig {
  readonly NODE_ENV: string;
  readonly LOG_LEVEL: string;
  readonly PORT: number;
  readonly NATS_URL?: readonly string[] | undefined;
  readonly STREAM_PREFIX: string;
  readonly AUTH_ISSUER: string;
  readonly AUTH_JWKS_URL?: string | undefined;
  readonly AUTH_JWKS?: unknown;
  readonly AUTH_TOKEN_URL?: string | undefined;
  readonly SERVICE_CLIENT_ID?: string | undefined;
  readonly SERVICE_CLIENT_SECRET_FILE?: string | undefined;
  readonly SERVICE_CLIENT_SECRET?: string | undefined;
  readonly SERVICE_VERSION: string;
  readonly SHUTDOWN_GRACE_MS: number;
  readonly SHUTDOWN_DRAIN_MS: number;
}

/** The keys the kit reads from a service with a database (`baseServiceSchema`). */
export interface KitConfig extends StatelessKitConfig {
  readonly DATABASE_URL: string;
  readonly DB_SCHEMA: string;
  readonly DB_POOL_MAX: number;
  readonly DB_CONSUMER_POOL_MAX: number;
  /** Repeated statements kept prepared per connection; absent: the db library's default. */
  readonly DB_PREPARED_STATEMENTS?: number;
  readonly CONSUMER_CONCURRENCY: number;
  readonly CONSUMER_BATCH_LINGER_MS: number;
  readonly ERASED_USER_RETENTION_DAYS: number;
}

/** Writes an event of this service into the outbox in the caller's transaction. */
export type Enqueue<M extends SubjectMap> = <S extends SubjectOf<M>, DB>(
  trx: Transaction<DB>,
  subject: S,
  message: MessageOf<M, S>,
  options?: Omit<EnqueueOptions, 'source'>,
) => Promise<EnqueuedEvent>;

/**
 * Writes an event of this service and the row it announces (an insert or update built with
 * Kysely) as one statement: atomic without a transaction, one round trip on a hot path.
 */
export type EnqueueWith<M extends SubjectMap> = <S extends SubjectOf<M>, DB>(
  db: Kysely<DB>,
  alongside: OperationNodeSource,
  subject: S,
  message: MessageOf<M, S>,
  options?: Omit<EnqueueOptions, 'source'>,
) => Promise<EnqueuedEvent>;

/** What the kit hands every service, with or without a database. */
export interface StatelessKit<Config extends StatelessKitConfig, M extends SubjectMap> {
  readonly name: ServiceName;
  readonly config: Config;
  readonly log: Logger;
  readonly bus: EventBus;
  /** CloudEvents from `/services/<name>`. */
  readonly events: EventCodec<M>;
  /** The one Prometheus registry of the process's service: HTTP, events, pool, process and own series. */
  readonly registry: Registry;
  /** Verifies bearer tokens; revocations from `users.revoked` are applied to it by the kit. */
  readonly verifier: TokenVerifier;
  readonly clock: () => Date;
  /**
   * This service's bearer token for calls to other services (OAuth client credentials at
   * AUTH_TOKEN_URL; cached and renewed). Rejects with `ServiceTokenError`; fetched on first use.
   */
  readonly serviceToken: () => Promise<string>;
  /**
   * Calls `listener` with every `users.revoked` this process receives (each instance gets all of
   * them), after the verifier already refuses the tokens; for caches of the service's own (the
   * gateway's session → token cache). Returns the listener's removal.
   */
  readonly onRevoked: (listener: RevokedListener) => () => void;
}

/** What the kit hands a service with a database: the stateless kit plus its pool and outbox. */
export interface Kit<Config extends KitConfig, DB, M extends SubjectMap> extends StatelessKit<Config, M> {
  /** The HTTP pool; consumers and the outbox relay have their own, so they cannot starve requests. */
  readonly db: Kysely<DB>;
  readonly enqueue: Enqueue<M>;
  readonly enqueueWith: EnqueueWith<M>;
  /** deploy/nats as the service started with it (streams and every service's consumers), read once. */
  readonly natsDefinitions: NatsDefinitions;
}

/** A handler of one subscribed subject; it runs in the transaction that records the event in the inbox. */
export type SubscriptionHandler<Ctx, DB, Message> = (trx: Transaction<DB>, event: ReceivedEvent<Message>, ctx: Ctx) => Promise<void>;

type SubscriptionRow<M extends SubjectMap, Ctx, DB, S extends SubjectOf<M>> = {
  /** `<service>__<purpose>`, as in deploy/nats/consumers/<service>.json. */
  readonly durable: string;
  readonly subject: S;
  readonly handler: SubscriptionHandler<Ctx, DB, MessageOf<M, S>>;
  /** Run even for users erased here (only `users.deletion.requested` needs this: repeated requests still get a receipt). */
  readonly applyToErasedUsers?: boolean;
};

/** One row per durable consumer; the subject types the handler's message. */
export type Subscription<M extends SubjectMap, Ctx, DB> = { [S in SubjectOf<M>]: SubscriptionRow<M, Ctx, DB, S> }[SubjectOf<M>];

/** A shutdown step of the service's own, run after HTTP and consumers stopped and before the bus and database close. */
export interface StopStep<Ctx> {
  readonly name: string;
  run(ctx: Ctx): unknown;
}

/**
 * A service, declared. `setup` builds the service's own parts from the kit (clients, caches,
 * timers); its result is merged into the context that routes, handlers, readiness checks and stop
 * steps receive.
 */
export interface ServiceDescriptor<Config extends KitConfig, DB, M extends SubjectMap, Own extends object> {
  readonly name: ServiceName;
  /** The config schema: `kitConfigShape(name)` plus the service's own keys. */
  readonly config: z.ZodType<Config>;
  /** Every migration of the schema, the events tables' first. */
  readonly migrations: MigrationSet;
  /** The subject map (`subjects` from @oo/contracts). */
  readonly subjects: M;
  readonly setup?: (kit: Kit<Config, DB, M>) => Own | Promise<Own>;
  /** Routers and middleware mounted in order between the kit's base middleware and its error handler. */
  readonly routes: (ctx: Kit<Config, DB, M> & Own) => ReadonlyArray<Router | RequestHandler>;
  readonly subscriptions: ReadonlyArray<Subscription<M, Kit<Config, DB, M> & Own, DB>>;
  /** Checks that must pass for the service to take traffic (the database is always checked). */
  readonly readiness?: Readonly<Record<string, (ctx: Kit<Config, DB, M> & Own) => boolean | Promise<boolean>>>;
  readonly stop?: ReadonlyArray<StopStep<Kit<Config, DB, M> & Own>>;
  /** Largest JSON body accepted (default 100kb). */
  readonly jsonLimit?: string;
}

/** The context of a descriptor's routes and handlers. */
export type ContextOf<D> =
  D extends StatelessServiceDescriptor<infer C, infer M, infer O>
    ? StatelessKit<C, M> & O
    : D extends ServiceDescriptor<infer C, infer DB, infer M, infer O>
      ? Kit<C, DB, M> & O
      : never;

/** A descriptor of either kind, for code that runs both (the in-process system, launchers). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServiceDescriptor = ServiceDescriptor<any, any, any, any> | StatelessServiceDescriptor<any, any, any>;

/**
 * A service without a database (the gateway): no migrations to run, no pools, outbox relay,
 * durable consumers or erased-user pruning; readiness does not check a database.
 */
export interface StatelessServiceDescriptor<Config extends StatelessKitConfig, M extends SubjectMap, Own extends object> {
  readonly stateless: true;
  readonly name: ServiceName;
  /** The config schema: `statelessServiceSchema(name)` plus the service's own keys. */
  readonly config: z.ZodType<Config>;
  readonly subjects: M;
  readonly setup?: (kit: StatelessKit<Config, M>) => Own | Promise<Own>;
  readonly routes: (ctx: StatelessKit<Config, M> & Own) => ReadonlyArray<Router | RequestHandler>;
  readonly readiness?: Readonly<Record<string, (ctx: StatelessKit<Config, M> & Own) => boolean | Promise<boolean>>>;
  readonly stop?: ReadonlyArray<StopStep<StatelessKit<Config, M> & Own>>;
  readonly jsonLimit?: string;
}

/** True for a descriptor made by `defineStatelessService` (nothing to migrate). */
export function isStatelessService(descriptor: AnyServiceDescriptor): descriptor is StatelessServiceDescriptor<StatelessKitConfig, SubjectMap, object> {
  return 'stateless' in descriptor && descriptor.stateless === true;
}

/**
 * Declares a service that owns no data; its context has no `db` or `enqueue`, and it has no
 * subscription table (it cannot consume durably without an inbox).
 *
 * @example
 * export const gateway = defineStatelessService({
 *   name: 'gateway',
 *   config: statelessServiceSchema('gateway'),
 *   subjects,
 *   routes: (ctx) => [proxyRouter(ctx)],
 * });
 */
export function defineStatelessService<Config extends StatelessKitConfig, M extends SubjectMap, Own extends object = object>(
  descriptor: Omit<StatelessServiceDescriptor<Config, M, Own>, 'stateless'>,
): StatelessServiceDescriptor<Config, M, Own> {
  // The types already forbid them; this catches a descriptor built around them (casts, plain JS).
  for (const key of ['migrations', 'subscriptions'] as const) {
    if (key in descriptor) throw new ServiceKitError('SERVICE_STATELESS_MISUSE', `${descriptor.name}: a stateless service has no ${key} (it has no database)`);
  }
  return { ...descriptor, stateless: true };
}

/**
 * Declares a service; `runService` (main.ts), the test harness and the embedded start run it.
 * The database type is given first because nothing in the declaration could tell it.
 *
 * @example
 * export const recommender = defineService<RecommenderDatabase>()({
 *   name: 'recommender',
 *   config: recommenderConfigSchema,
 *   migrations: recommenderMigrations,
 *   subjects,
 *   setup: setupRecommender,
 *   routes: (ctx) => [recommendRouter(ctx), tipsRouter(ctx)],
 *   subscriptions: [{ durable: 'recommender__task_upserted', subject: 'signals.task.upserted', handler: taskUpserted }],
 * });
 */
export function defineService<DB>() {
  return <Config extends KitConfig, M extends SubjectMap, Own extends object = object>(
    descriptor: ServiceDescriptor<Config, DB, M, Own>,
  ): ServiceDescriptor<Config, DB, M, Own> => descriptor;
}
