import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { ROOT } from '../services';
import { startInProcessSystem, type InProcessSystem } from '../system/in-process-system';
import { startPostgresServer } from '@oo/embedded-postgres';

export interface EmbeddedOptions {
  /** Where Postgres keeps its data across runs (default `.oo/postgres`). */
  dataDir?: string;
  /** An existing Postgres to use instead of the embedded one. */
  databaseUrl?: string;
  ports?: 'default' | 'free';
  /** Where the system's secrets live (client secrets, auth's key-encryption key). */
  stateDir: string;
  env?: Readonly<Record<string, string>>;
  logDestination?: DestinationStream;
  /** Postgres's own lines (debug output). */
  onDatabaseLog?: (line: string) => void;
}

/** The whole system in this process, and what it runs on. */
export interface EmbeddedSystem extends InProcessSystem {
  readonly databaseUrl: string;
  /** Where the data is kept, when the database is the embedded one. */
  readonly dataDir?: string;
}

/**
 * The zero-setup system: a real Postgres from the npm package (unless `databaseUrl` is given),
 * every service in this process on the in-process bus. Nothing on the machine is needed but Node.
 *
 * @example
 * const system = await startEmbeddedSystem({ stateDir: '.oo' });
 */
export async function startEmbeddedSystem(options: EmbeddedOptions): Promise<EmbeddedSystem> {
  const dataDir = options.databaseUrl ? undefined : (options.dataDir ?? join(ROOT, '.oo', 'postgres'));
  const database = dataDir ? await startPostgresServer({ dataDir, database: 'oo', ...(options.onDatabaseLog ? { onLog: options.onDatabaseLog } : {}) }) : undefined;
  const databaseUrl = database?.url ?? (options.databaseUrl as string);
  let system: InProcessSystem;
  try {
    system = await startInProcessSystem({ databaseUrl, ports: options.ports, stateDir: options.stateDir, env: options.env, logDestination: options.logDestination });
  } catch (err) {
    await database?.stop();
    throw err;
  }
  return {
    ...system,
    databaseUrl,
    ...(dataDir ? { dataDir } : {}),
    stop: async () => {
      await system.stop();
      await database?.stop();
    },
  };
}
