import { join } from 'node:path';
import { loadConfig } from '@oo/config';
import { createDb, migrateToLatest } from '@oo/db';
import { createInProcessBus, type EventBus, type SubjectMap } from '@oo/events';
import { createLogger, type Logger } from '@oo/logger';
import { isStatelessService, startService, type AnyServiceDescriptor, type KitConfig, type RunningService, type ServiceDescriptor } from '@oo/service';
import { freePort } from '@oo/testing';
import type { DestinationStream } from 'pino';
import { discoverServices, type ServiceEntry } from '../services';
import { prepareDevIdentity, type DevIdentity } from './dev-identity';
import { signInDevUser, type DevSession } from './dev-sign-in';
import { answersReady, devSystemEnv, urlOf } from './system-env';

/** Where the local identity provider listens in a development system (not a service: no DEFAULT_PORTS entry). */
export const DEV_IDP_PORT = 8090;

// Any declared service; the launcher only hands it an environment and a bus.
type AnyDescriptor = AnyServiceDescriptor;
type StatefulDescriptor = ServiceDescriptor<KitConfig, unknown, SubjectMap, object>;

export interface InProcessSystemOptions {
  databaseUrl: string;
  /** `default`: DEFAULT_PORTS (npm start); `free`: ports the OS picks. */
  ports?: 'default' | 'free';
  /** Extra environment for every service. */
  env?: Readonly<Record<string, string>>;
  /** Where this system's secrets live (client secrets, auth's key-encryption key). */
  stateDir: string;
  /** Where every service's log lines go (stdout when omitted). */
  logDestination?: DestinationStream;
}

/** Every service of the checkout running in this process on one in-process bus. */
export interface InProcessSystem {
  readonly services: ReadonlyMap<string, RunningService<unknown>>;
  readonly identity: DevIdentity;
  readonly bus: EventBus;
  /** Signs a person in at the local identity provider through the gateway, as a native app. */
  signIn(name: string): Promise<DevSession>;
  url(service: string): string;
  stop(): Promise<void>;
}

// Each service's src/service.ts exports its declaration; find it by the service's name.
async function loadDescriptor(entry: ServiceEntry): Promise<AnyDescriptor> {
  const module = (await import(join(entry.root, 'src', 'service.ts'))) as Record<string, unknown>;
  const found = Object.values(module).find(
    (value): value is AnyDescriptor =>
      typeof value === 'object' && value !== null && (value as { name?: unknown }).name === entry.name && 'routes' in value,
  );
  if (!found) throw new Error(`${entry.root}/src/service.ts exports no service declaration named ${entry.name}`);
  return found;
}

async function migrate(descriptor: StatefulDescriptor, env: Record<string, string | undefined>): Promise<void> {
  const { DATABASE_URL, DB_SCHEMA } = loadConfig(descriptor.config, env);
  // As `npm run migrate`: no statement timeout, a migration may rewrite a large table.
  const db = createDb({ url: DATABASE_URL, schema: DB_SCHEMA, poolMax: 1, applicationName: `${descriptor.name}-migrate`, statementTimeoutMs: 0 });
  try {
    await migrateToLatest(db, { schema: DB_SCHEMA, migrations: descriptor.migrations });
  } finally {
    await db.destroy();
  }
}

// Up means ready: ml-serving, for one, loads its model after it listens.
async function waitUntilReady(services: ReadonlyMap<string, RunningService<unknown>>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const [name, running] of services) {
    while (!(await answersReady(running.url))) {
      if (Date.now() > deadline) throw new Error(`${name} was not ready after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Runs every service of this checkout in one process: the same declarations the per-service
 * processes run, each migrated into its own schema of `databaseUrl`, each listening on its own
 * port, all sharing one in-process bus instead of JetStream. The zero-setup `npm start`.
 *
 * @example
 * const system = await startInProcessSystem({ databaseUrl, keyFile: '.oo/dev-auth.json' });
 * await system.stop();
 */
export async function startInProcessSystem(options: InProcessSystemOptions): Promise<InProcessSystem> {
  const entries = discoverServices();
  const descriptors = await Promise.all(entries.map(loadDescriptor));
  const ports = new Map<string, number>();
  for (const s of entries) ports.set(s.name, options.ports === 'free' ? await freePort() : s.port);
  const identity = await prepareDevIdentity({
    stateDir: join(options.stateDir, 'identity'),
    services: entries.map((s) => s.name),
    gatewayPort: ports.get('gateway') ?? 0,
    authPort: ports.get('auth') ?? 0,
    idpPort: options.ports === 'free' ? 0 : DEV_IDP_PORT,
    env: process.env,
  });
  const base: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    NATS_URL: undefined,
    STREAM_PREFIX: '',
    ...devSystemEnv(entries, ports),
  };
  const logFor = (service: string): Logger =>
    createLogger({ service, level: (base['LOG_LEVEL'] as 'info') ?? 'info', ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const bus = createInProcessBus({ log: logFor('bus') });
  const services = new Map<string, RunningService<unknown>>();
  const stop = async (): Promise<void> => {
    for (const running of [...services.values()].reverse()) await running.stop();
    await bus.drain();
    await identity.stop();
  };
  try {
    for (const [i, descriptor] of descriptors.entries()) {
      const name = entries[i]?.name ?? descriptor.name;
      const env = { ...base, ...identity.envFor(name), ...options.env, PORT: String(ports.get(name)) };
      const start = { env, bus, log: logFor(name) };
      if (isStatelessService(descriptor)) {
        services.set(name, (await startService(descriptor, start)) as RunningService<unknown>);
      } else {
        const stateful = descriptor as StatefulDescriptor;
        await migrate(stateful, env);
        services.set(name, (await startService(stateful, start)) as RunningService<unknown>);
      }
    }
    await waitUntilReady(services);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    services,
    identity,
    bus,
    signIn: (name) => signInDevUser(urlOf(services, 'gateway'), name),
    url: (name) => urlOf(services, name),
    stop,
  };
}
