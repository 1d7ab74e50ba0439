import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { clearLeftovers, initialise, spawnServer, stopServer, USER } from './postgres-process';

/** A real Postgres whose data stays in one folder across runs. */
export interface PostgresServer {
  /** Connection URL of the database asked for. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Fast shutdown (open sessions are ended, data checkpointed); resolves when the server is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
}

export interface PostgresServerOptions {
  dataDir: string;
  /** Created when missing (default `postgres`, which always exists). */
  database?: string;
  /** Default: a free loopback port. */
  port?: number;
  /** Default: a fixed development password (the server listens on loopback only). */
  password?: string;
  onLog?: (line: string) => void;
}

const DEV_PASSWORD = 'oo-embedded';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  if (database === 'postgres') return;
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new TypeError(`database name ${database} must be a plain identifier`);
  const client = new Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (rowCount === 0) await client.query(`create database ${database}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts Postgres from the npm package's binaries with its data in `dataDir` (initialised on the
 * first start), on loopback. Works as root too: the server then runs as a `postgres` system user.
 *
 * @example
 * const pg = await startPostgresServer({ dataDir: '.oo/postgres', database: 'oo', onLog: (l) => log.debug(l) });
 * // … DATABASE_URL = pg.url …
 * await pg.stop();
 */
export async function startPostgresServer(options: PostgresServerOptions): Promise<PostgresServer> {
  const { dataDir, onLog = () => undefined } = options;
  const database = options.database ?? 'postgres';
  const password = options.password ?? DEV_PASSWORD;
  const port = options.port ?? (await freePort());
  if (!existsSync(join(dataDir, 'PG_VERSION'))) initialise(dataDir, password);
  await clearLeftovers(dataDir);
  let server: ChildProcess | undefined;
  // Should this process end without stopping us (an uncaught error, process.exit), the server goes too.
  const onExit = (): void => void server?.kill('SIGINT');
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    if (server) await stopServer(server);
    server = undefined;
  };
  const start = async (): Promise<void> => {
    if (server) return;
    server = await spawnServer(dataDir, port, onLog);
    process.once('exit', onExit);
  };
  await start();
  try {
    await ensureDatabase(port, password, database);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `postgres://${USER}:${password}@127.0.0.1:${port}/${database}`, port, dataDir, stop, start };
}
