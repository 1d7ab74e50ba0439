import { createDb } from './create-db';
import { migrateDown, migrateToLatest, type MigrationSet } from './migrations';

export interface MigrationCommandOptions {
  /** The service's schema (its name unless DB_SCHEMA overrides it). */
  schema: string;
  migrations: MigrationSet;
  /** Command-line words after the script: `up` (default), `down` or `down --all`. */
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * The body of a service's separate migration entry point; services never migrate at start-up.
 * Returns the process exit code.
 *
 * @example
 * // apps/profile/src/db/migrate.ts
 * runMigrationCommand({ schema: 'profile', migrations }).then((code) => process.exit(code));
 */
export async function runMigrationCommand(options: MigrationCommandOptions): Promise<number> {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv.slice(2);
  const url = env['DATABASE_URL'];
  if (!url) {
    process.stderr.write('DATABASE_URL is required to migrate\n');
    return 2;
  }
  const schema = env['DB_SCHEMA'] || options.schema;
  // A migration may rewrite a large table: no statement timeout for this one connection.
  const db = createDb<unknown>({ url, schema, poolMax: 1, applicationName: `${schema}-migrate`, statementTimeoutMs: 0 });
  try {
    const target = { schema, migrations: options.migrations };
    const ran = argv[0] === 'down' ? await migrateDown(db, { ...target, all: argv.includes('--all') }) : await migrateToLatest(db, target);
    process.stdout.write(`${schema}: ${ran.length ? ran.join(', ') : 'up to date'}\n`);
    return 0;
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    process.stderr.write(`${schema}: ${err instanceof Error ? err.message : String(err)}${cause}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}
