import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { LOCAL_DATABASE_URL, LOCAL_NATS_URL, probeJetStream, probePostgres } from './services';

// Started containers live in the jest parent process until global teardown; kept on globalThis
// because jest may load the setup and teardown modules separately.
const CONTAINERS = Symbol.for('oo.testing.containers');
const holder = globalThis as { [CONTAINERS]?: StartedTestContainer[] };
const containers: StartedTestContainer[] = (holder[CONTAINERS] ??= []);

interface ServiceSpec {
  envKey: 'DATABASE_URL' | 'NATS_URL';
  localUrl: string;
  probe: (url: string) => Promise<string | null>;
  startContainer: () => Promise<string>;
}

async function startPostgresContainer(): Promise<string> {
  const c = await new GenericContainer('postgres:15')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
    .start();
  containers.push(c);
  return `postgres://postgres@${c.getHost()}:${c.getMappedPort(5432)}/test`;
}

async function startNatsContainer(): Promise<string> {
  const c = await new GenericContainer('nats:2.9').withCommand(['-js']).withExposedPorts(4222).start();
  containers.push(c);
  return `nats://${c.getHost()}:${c.getMappedPort(4222)}`;
}

// Order: the URL from the environment; else the machine's own server; else a container when a
// Docker engine answers. Integration tests never skip: a missing server fails the run.
async function resolve(spec: ServiceSpec): Promise<string> {
  const fromEnv = process.env[spec.envKey];
  if (fromEnv) {
    const problem = await spec.probe(fromEnv);
    if (problem) throw new Error(`${spec.envKey}=${fromEnv} does not answer: ${problem}`);
    return fromEnv;
  }
  if (!(await spec.probe(spec.localUrl))) return spec.localUrl;
  try {
    return await spec.startContainer();
  } catch (err) {
    throw new Error(
      `${spec.envKey} is unset, nothing answers at ${spec.localUrl}, and no container could be started ` +
        `(${err instanceof Error ? err.message : String(err)}). Start the server or set ${spec.envKey}.`,
    );
  }
}

// Test streams reserve their byte limits on the shared server; a run that crashed before its
// cleanup would leave them behind, so streams of test prefixes older than an hour are removed.
async function removeAbandonedTestStreams(natsUrl: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const cutoff = Date.now() - 3_600_000;
    for await (const stream of jsm.streams.list()) {
      if (/^t_[a-z0-9_]+_[0-9a-f]{8}_/.test(stream.config.name) && Date.parse(stream.created) < cutoff) {
        await jsm.streams.delete(stream.config.name);
      }
    }
  } finally {
    await nc.close();
  }
}

/** Jest global setup: makes sure Postgres and NATS JetStream answer before any integration test runs. */
export default async function globalSetup(): Promise<void> {
  process.env['DATABASE_URL'] = await resolve({
    envKey: 'DATABASE_URL',
    localUrl: LOCAL_DATABASE_URL,
    probe: probePostgres,
    startContainer: startPostgresContainer,
  });
  process.env['NATS_URL'] = await resolve({
    envKey: 'NATS_URL',
    localUrl: LOCAL_NATS_URL,
    probe: probeJetStream,
    startContainer: startNatsContainer,
  });
  await removeAbandonedTestStreams(process.env['NATS_URL']);
}

/** Jest global teardown: stops whatever containers the setup started. */
export async function globalTeardown(): Promise<void> {
  await Promise.all(containers.map((c) => c.stop()));
}
