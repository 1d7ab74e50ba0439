import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { deleteStreamsWithPrefix, reservePort, type PortReservation } from '@oo/testing';
import { discoverServices, ROOT, type ServiceEntry } from '../services';
import { prepareDevIdentity, type DevIdentity } from './dev-identity';
import { signInDevUser, type DevSession } from './dev-sign-in';
import { DEV_IDP_PORT } from './in-process-system';
import { devSystemEnv, envName, urlOf } from './system-env';
import { runScript, startServiceProcess, waitReady, type ServiceProcess } from './service-process';

export interface SystemOptions {
  databaseUrl: string;
  natsUrl: string;
  /** Isolates streams and subjects (tests, benchmarks); '' for the real names. */
  streamPrefix?: string;
  /** Isolates schemas: each service gets `<prefix>_<service>`; unset keeps every service's own default. */
  schemaPrefix?: string;
  /** `default`: DEFAULT_PORTS (npm start); `free`: ports the OS picks. */
  ports?: 'default' | 'free';
  /** Caps every stream's byte limit (JetStream reserves it on disk). */
  streamMaxBytes?: string;
  /** Extra environment for every service, e.g. a short REWARD_WINDOW_MS. */
  env?: Readonly<Record<string, string>>;
  /** Extra environment for one service, over `env`, e.g. `{ gateway: { SHUTDOWN_DRAIN_MS: '0' } }`. */
  serviceEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Where the system's secrets live (client secrets, auth's key-encryption key); a temporary folder when unset. */
  stateDir?: string;
  onLine?: (service: string, line: string) => void;
  /**
   * Services the caller runs itself instead of as processes (a test that injects a clock), each
   * started with the environment its process would have had, after migrations and provisioning.
   */
  inProcess?: Readonly<Record<string, HostedStart>>;
}

/** Starts one service in the caller's process; resolves once it listens. */
export type HostedStart = (env: NodeJS.ProcessEnv) => Promise<HostedService>;

/** A service the caller runs in its own process. */
export interface HostedService {
  readonly url: string;
  stop(): Promise<void>;
}

export interface RunningSystem {
  /** The services running as their own processes (not those run `inProcess`). */
  readonly services: ReadonlyMap<string, ServiceProcess>;
  readonly identity: DevIdentity;
  /** Signs a person in at the local identity provider through the gateway, as a native app. */
  signIn(name: string): Promise<DevSession>;
  url(service: string): string;
  stop(): Promise<void>;
}

/**
 * Migrates, provisions and starts every service of this checkout as its own process, each
 * knowing the others' URLs and holding a service token, and waits until all are ready.
 * `npm start`, the end-to-end tests and the decision benchmark all run the system this way.
 *
 * @example
 * const system = await launchSystem({ databaseUrl, natsUrl, streamPrefix: 't_e2e', schemaPrefix: 't_e2e', ports: 'free' });
 */
export async function launchSystem(options: SystemOptions): Promise<RunningSystem> {
  const entries = discoverServices();
  const ports = new Map<string, number>();
  // Free ports stay reserved until their service is about to listen on them.
  const reserved = new Map<string, PortReservation>();
  for (const s of entries) {
    if (options.ports !== 'free') ports.set(s.name, s.port);
    else {
      const r = await reservePort();
      reserved.set(s.name, r);
      ports.set(s.name, r.port);
    }
  }
  const releasePort = async (name: string) => {
    await reserved.get(name)?.release();
    reserved.delete(name);
  };
  const tempDir = options.stateDir ? undefined : mkdtempSync(join(tmpdir(), 'oo-system-'));
  const identity = await prepareDevIdentity({
    stateDir: join(options.stateDir ?? (tempDir as string), 'identity'),
    services: entries.map((s) => s.name),
    gatewayPort: ports.get('gateway') ?? 0,
    authPort: ports.get('auth') ?? 0,
    idpPort: options.ports === 'free' ? 0 : DEV_IDP_PORT,
    env: process.env,
  });

  const base: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    NATS_URL: options.natsUrl,
    STREAM_PREFIX: options.streamPrefix ?? '',
    ...(options.streamMaxBytes ? { STREAM_MAX_BYTES: options.streamMaxBytes } : {}),
    ...devSystemEnv(entries, ports),
  };
  const schemaEnv = (s: ServiceEntry): NodeJS.ProcessEnv =>
    options.schemaPrefix ? { DB_SCHEMA: `${options.schemaPrefix}_${envName(s.name).toLowerCase()}` } : {};

  const envOf = (s: ServiceEntry): NodeJS.ProcessEnv => ({ ...base, ...schemaEnv(s), ...identity.envFor(s.name), ...options.env, ...options.serviceEnv?.[s.name] });
  for (const s of entries) if (s.migrate) runScript(`migrating ${s.name}`, s.migrate, envOf(s));
  runScript('provisioning NATS', join(ROOT, 'tools/provision/provision.ts'), { ...base, ...options.env });

  const services = new Map<string, ServiceProcess>();
  const hosted = new Map<string, HostedService>();
  for (const s of entries) {
    if (options.inProcess?.[s.name]) continue;
    await releasePort(s.name);
    services.set(s.name, startServiceProcess(s, ports.get(s.name) as number, envOf(s), (line) => options.onLine?.(s.name, line)));
  }
  // Whatever happens to the caller, its services must not outlive it.
  const killAll = (): void => {
    for (const s of services.values()) s.kill();
  };
  process.once('exit', killAll);
  const stop = async (): Promise<void> => {
    process.off('exit', killAll);
    await Promise.all([...reserved.keys()].map(releasePort));
    await Promise.all([...services.values(), ...hosted.values()].map((s) => s.stop()));
    await identity.stop();
    if (options.streamPrefix) await deletePrefixedStreams(options.natsUrl, options.streamPrefix);
    if (options.schemaPrefix) await dropSchemas(options.databaseUrl, entries.map((s) => schemaEnv(s)['DB_SCHEMA'] as string));
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    for (const s of entries) {
      const start = options.inProcess?.[s.name];
      const port = ports.get(s.name) as number;
      if (!start) continue;
      await releasePort(s.name);
      hosted.set(s.name, await start({ ...envOf(s), PORT: String(port) }));
    }
    await Promise.all([...services.values()].map((s) => waitReady(s)));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    services,
    identity,
    signIn: (name) => signInDevUser(urlOf(services, 'gateway'), name),
    url: (name) => urlOf(hosted.has(name) ? hosted : services, name),
    stop,
  };
}

async function deletePrefixedStreams(natsUrl: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl.split(',').map((s) => s.trim()), name: 'system-cleanup' });
  try {
    await deleteStreamsWithPrefix(await jetstreamManager(nc), prefix);
  } finally {
    await nc.close();
  }
}

async function dropSchemas(databaseUrl: string, schemas: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
