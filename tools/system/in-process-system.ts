import { dirname, join } from 'node:path';
import { loadConfig } from '@oo/config';
import { createDb, migrateToLatest } from '@oo/db';
import { createInProcessBus, type EventBus } from '@oo/events';
import { createLogger, type Logger } from '@oo/logger';
import { startService, type KitConfig, type RunningService, type ServiceDescriptor } from '@oo/service';
import { freePort } from '@oo/testing';
import type { DestinationStream } from 'pino';
import { discoverServices, type ServiceEntry } from '../services';
import { createDevAuth, type DevAuth } from './dev-auth';
import { answersReady, devSystemEnv, urlOf } from './system-env';
import { writeServiceTokenFiles } from './service-token-files';

// Any declared service; the launcher only hands it an environment and a bus.
type AnyDescriptor = ServiceDescriptor<KitConfig, unknown, never, object>;

export interface InProcessSystemOptions {
  databaseUrl: string;
  /** `default`: DEFAULT_PORTS (npm start); `free`: ports the OS picks. */
  ports?: 'default' | 'free';
  /** Extra environment for every service. */
  env?: Readonly<Record<string, string>>;
  /** Where the dev signing key is written for tools that act as users. */
  keyFile: string;
  /** Where every service's log lines go (stdout when omitted). */
  logDestination?: DestinationStream;
}

/** Every service of the checkout running in this process on one in-process bus. */
export interface InProcessSystem {
  readonly services: ReadonlyMap<string, RunningService<unknown>>;
  readonly auth: DevAuth;
  readonly bus: EventBus;
  url(service: string): string;
  stop(): Promise<void>;
}

// Each service's src/service.ts exports its declaration; find it by the service's name.
async function loadDescriptor(entry: ServiceEntry): Promise<AnyDescriptor> {
  const module = (await import(join(entry.root, 'src', 'service.ts'))) as Record<string, unknown>;
  const found = Object.values(module).find(
    (value): value is AnyDescriptor =>
      typeof value === 'object' && value !== null && (value as { name?: unknown }).name === entry.name && 'subscriptions' in value,
  );
  if (!found) throw new Error(`${entry.root}/src/service.ts exports no service declaration named ${entry.name}`);
  return found;
}

async function migrate(descriptor: AnyDescriptor, env: Record<string, string | undefined>): Promise<void> {
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
  const auth = await createDevAuth();
  auth.writeKeyFile(options.keyFile);
  const tokens = await writeServiceTokenFiles(auth, join(dirname(options.keyFile), 'tokens'), entries.map((s) => s.name));
  const base: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    NATS_URL: undefined,
    SERVICE_TOKEN: undefined,
    STREAM_PREFIX: '',
    ...devSystemEnv(entries, ports, auth),
    ...options.env,
  };
  const logFor = (service: string): Logger =>
    createLogger({ service, level: (base['LOG_LEVEL'] as 'info') ?? 'info', ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const bus = createInProcessBus({ log: logFor('bus') });
  const services = new Map<string, RunningService<unknown>>();
  const stop = async (): Promise<void> => {
    for (const running of [...services.values()].reverse()) await running.stop();
    await bus.drain();
    tokens.stop();
  };
  try {
    for (const [i, descriptor] of descriptors.entries()) {
      const name = entries[i]?.name ?? descriptor.name;
      const env = { ...base, PORT: String(ports.get(name)), SERVICE_TOKEN_FILE: tokens.pathFor(name) };
      await migrate(descriptor, env);
      services.set(name, (await startService(descriptor, { env, bus, log: logFor(name) })) as RunningService<unknown>);
    }
    await waitUntilReady(services);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    services,
    auth,
    bus,
    url: (name) => urlOf(services, name),
    stop,
  };
}
