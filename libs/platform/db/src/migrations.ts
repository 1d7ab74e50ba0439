import { Kysely, Migrator, NO_MIGRATIONS, sql, type Migration } from 'kysely';
import { assertSchemaName } from './create-db';
import { DbError } from './errors';

/** A service's migrations by name; names sort in the order they run (`YYYY_MM_DD_HHMMSS_verb_object`). */
export type MigrationSet = Record<string, Migration>;

export interface MigrateOptions {
  schema: string;
  migrations: MigrationSet;
}

// Each service keeps its own migration history inside its own schema, so services migrate independently.
function migratorFor<DB>(db: Kysely<DB>, { schema, migrations }: MigrateOptions): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
  });
}

async function run<DB>(
  db: Kysely<DB>,
  options: MigrateOptions,
  step: (migrator: Migrator) => ReturnType<Migrator['migrateToLatest']>,
): Promise<string[]> {
  assertSchemaName(options.schema);
  await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
  const { error, results = [] } = await step(migratorFor(db, options));
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new DbError('DB_MIGRATION_FAILED', `migration ${failed} in schema ${options.schema} failed`, { cause: error });
  }
  return results.map((r) => `${r.direction} ${r.migrationName}`);
}

/**
 * Creates the schema if needed and runs every pending migration; returns what ran.
 *
 * @example
 * await migrateToLatest(db, { schema: 'profile', migrations: { ...eventsMigrations, ...profileMigrations } });
 */
export function migrateToLatest<DB>(db: Kysely<DB>, options: MigrateOptions): Promise<string[]> {
  return run(db, options, (m) => m.migrateToLatest());
}

/**
 * Rolls back the newest migration, or every migration with `{ all: true }`.
 *
 * @example
 * await migrateDown(db, { schema: 'profile', migrations, all: true });
 */
export function migrateDown<DB>(db: Kysely<DB>, options: MigrateOptions & { all?: boolean }): Promise<string[]> {
  return run(db, options, (m) => (options.all ? m.migrateTo(NO_MIGRATIONS) : m.migrateDown()));
}
