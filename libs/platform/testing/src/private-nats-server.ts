import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NATS_SERVER_BINARY = process.env['NATS_SERVER_BIN'] || '/usr/sbin/nats-server';

/** A nats-server process owned by one test, which it may kill and restart; never the shared server. */
export interface PrivateNatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** Kills the process with SIGKILL, as a crash would, and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same JetStream store. */
  start(): Promise<void>;
  /** Stops it and deletes its store. */
  stop(): Promise<void>;
}

/**
 * A loopback port nothing listens on right now, chosen by the OS.
 *
 * @example
 * const port = await freePort();
 */
export async function freePort(): Promise<number> {
  const reserved = await reservePort();
  await reserved.release();
  return reserved.port;
}

/** A free port held open until `release()`, so nothing else is given it in between. */
export interface PortReservation {
  readonly port: number;
  release(): Promise<void>;
}

/**
 * Like `freePort`, but the port stays bound until the caller is about to use it: a system that
 * assigns every service's port before starting them (so each knows the others' URLs) would
 * otherwise leave seconds in which a parallel test can take one.
 *
 * @example
 * const reserved = await reservePort(); env.PORT = String(reserved.port); await reserved.release(); start();
 */
export function reservePort(): Promise<PortReservation> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) return reject(new Error('no port'));
      resolve({ port: address.port, release: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A node of a cluster: its name, the port its routes listen on, and every node's route URL. */
export interface PrivateNatsClusterMember {
  serverName: string;
  clusterName: string;
  clusterPort: number;
  routes: readonly string[];
}

/**
 * Starts a private JetStream-enabled nats-server on a free loopback port with its own store
 * (as one `member` of a cluster when given).
 *
 * @example
 * const nats = await startPrivateNatsServer();
 * await nats.kill();   // broker outage
 * await nats.start();  // broker back, streams intact
 * afterAll(() => nats.stop());
 */
export async function startPrivateNatsServer(member?: PrivateNatsClusterMember): Promise<PrivateNatsServer> {
  const port = await freePort();
  const clustering = member
    ? ['--server_name', member.serverName, '--cluster_name', member.clusterName, '--cluster', `nats://127.0.0.1:${member.clusterPort}`, '--routes', member.routes.join(',')]
    : [];
  const storeDir = await mkdtemp(join(tmpdir(), 'oo-nats-'));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child) return;
    const proc = spawn(NATS_SERVER_BINARY, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...clustering], {
      stdio: 'ignore',
    });
    child = proc;
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    await waitUntil(async () => child === proc && (await accepts(port)), `nats-server on port ${port}`);
  };

  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill(sig);
    await exited;
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    kill: () => signal('SIGKILL'),
    start,
    stop: async () => {
      await signal('SIGTERM');
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
