import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { DbError } from './errors';

/** Where a service's data lives: one database URL and the service's own schema. */
export interface DbConfig {
  url: string;
  schema: string;
  poolMax?: number;
  applicationName?: string;
}

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

/**
 * Creates a kysely instance over a pg pool whose connections resolve unqualified table names
 * in the service's own schema.
 *
 * @example
 * const db = createDb<Database>({ url: config.databaseUrl, schema: 'profile' }, { onPoolError: (e) => log.warn(e) });
 */
export function createDb<DB>(config: DbConfig, options: CreateDbOptions = {}): Kysely<DB> {
  assertSchemaName(config.schema);
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolMax ?? 10,
    application_name: config.applicationName ?? config.schema,
    options: `-c search_path=${config.schema},public`,
    // Fail fast while Postgres is down instead of queueing requests forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error (Postgres restart, network drop) is emitted on the pool; unhandled it
  // would crash the process. The pool discards that client and reconnects on the next query.
  pool.on('error', (err) => options.onPoolError?.(err));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
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
