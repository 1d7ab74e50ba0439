import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { DbError } from './errors';
import { prepareRepeatedStatements } from './prepared-statements';

/** Where a service's data lives: one database URL and the service's own schema. */
export interface DbConfig {
  url: string;
  schema: string;
  /** Connections in this pool (default 10). Give HTTP and consumers a pool each; see the README. */
  poolMax?: number;
  /** Shown in `pg_stat_activity`; default the schema name. */
  applicationName?: string;
  /** Postgres cancels a statement running longer (SQLSTATE 57014); default 15 s, 0 for no limit. */
  statementTimeoutMs?: number;
  /** Postgres ends a session idle inside an open transaction this long, freeing its locks; default 30 s, 0 for no limit. */
  idleInTransactionTimeoutMs?: number;
  /** How long a query waits for a free pooled connection, or for a new one to open, before it fails; default 5 s (0 waits forever). */
  connectionTimeoutMs?: number;
  /** Repeated parameterised statements kept prepared per connection (`prepareRepeatedStatements`); default 256, 0 for none. */
  preparedStatements?: number;
}

/** What `createDb` uses for the pool settings a `DbConfig` leaves out. */
export const DB_DEFAULTS = Object.freeze({ poolMax: 10, statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 30_000, connectionTimeoutMs: 5_000, preparedStatements: 256 });

export interface CreateDbOptions {
  /** Called for errors on idle pooled connections (e.g. Postgres restarted); without it they are ignored. */
  onPoolError?: (err: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws unless `schema` is a plain lower-case identifier, so it is safe to interpolate into DDL. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new DbError('DB_INVALID_SCHEMA', `schema "${schema}" must match ${SCHEMA_NAME}`);
  }
}

// Interpolated into the connection's startup options, so only a plain non-negative integer passes.
function milliseconds(name: keyof DbConfig, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new DbError('DB_INVALID_CONFIG', `${name} must be a whole number of milliseconds, not ${value}`);
  return value;
}

/**
 * Creates a kysely instance over a pg pool whose connections resolve unqualified table names
 * in the service's own schema. Every connection carries a statement timeout and an
 * idle-in-transaction timeout, so one slow query or a forgotten transaction cannot hold a
 * connection (and its locks) for good; a query that cannot get a connection in time fails
 * instead of queueing forever. @oo/http answers all three with 503 and `Retry-After`.
 *
 * @example
 * const db = createDb<Database>({ url: config.databaseUrl, schema: 'profile' }, { onPoolError: (e) => log.warn(e) });
 */
export function createDb<DB>(config: DbConfig, options: CreateDbOptions = {}): Kysely<DB> {
  assertSchemaName(config.schema);
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolMax ?? DB_DEFAULTS.poolMax,
    application_name: config.applicationName ?? config.schema,
    // Startup parameters hold for every connection the pool opens, including the ones it reopens.
    options: [
      `-c search_path=${config.schema},public`,
      `-c statement_timeout=${milliseconds('statementTimeoutMs', config.statementTimeoutMs ?? DB_DEFAULTS.statementTimeoutMs)}`,
      `-c idle_in_transaction_session_timeout=${milliseconds('idleInTransactionTimeoutMs', config.idleInTransactionTimeoutMs ?? DB_DEFAULTS.idleInTransactionTimeoutMs)}`,
    ].join(' '),
    connectionTimeoutMillis: milliseconds('connectionTimeoutMs', config.connectionTimeoutMs ?? DB_DEFAULTS.connectionTimeoutMs),
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error (Postgres restart, network drop) is emitted on the pool; unhandled it
  // would crash the process. The pool discards that client and reconnects on the next query.
  pool.on('error', (err) => options.onPoolError?.(err));
  // A checked-out client's error (Postgres shut down mid-transaction) is emitted on the client
  // itself, where no one listens, and would crash the process; its pending query fails anyway.
  const maxPrepared = config.preparedStatements ?? DB_DEFAULTS.preparedStatements;
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    if (maxPrepared > 0) prepareRepeatedStatements(client, { maxPrepared, afterUses: 2 });
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

// Kysely hides its pool; the metrics need its counts.
const pools = new WeakMap<object, Pool>();

/** Connections of a pool made by `createDb`: open, idle, and requests waiting for one. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/**
 * The pool counts of a `createDb` instance, for metrics; undefined for any other Kysely.
 *
 * @example
 * const { waiting } = poolStats(db) ?? { waiting: 0 };
 */
export function poolStats<DB>(db: Kysely<DB>): PoolStats | undefined {
  const pool = pools.get(db);
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? DB_DEFAULTS.poolMax };
}

/**
 * True when the database answers a trivial query; used by readiness probes.
 *
 * @example
 * readiness.add('database', () => isDbReachable(db));
 */
export async function isDbReachable<DB>(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
