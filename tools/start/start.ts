// `npm start`. With DATABASE_URL and NATS_URL it migrates, provisions the streams and runs every
// service as its own process against them. With neither (a machine with only Node) it runs the
// embedded system: Postgres from npm with its data in .oo/, every service in this process on an
// in-process bus. With only DATABASE_URL, the embedded system uses that database.
import { join } from 'node:path';
import pretty from 'pino-pretty';
import { ROOT } from '../services';
import { launchSystem } from '../system/launch-system';
import { DEV_ADMIN_NAME, type DevIdentity } from '../system/dev-identity';
import { DEFAULT_PORTS } from '@oo/config';
import { startEmbeddedSystem } from './embedded';
import { ensureWebBuild } from './web-build';

// What a person opens: the gateway by the name the identity provider sends them back to.
function publicGatewayUrl(started: Started): string {
  const url = new URL(started.urls.find(([n]) => n === 'gateway')?.[1] ?? 'http://127.0.0.1:8080');
  return `http://localhost:${url.port}`;
}

// This checkout's local state (OO_STATE_DIR moves it, e.g. for tests): the embedded database and
// the development system's secrets (client secrets, auth's key-encryption key).
const STATE_DIR = process.env['OO_STATE_DIR'] || join(ROOT, '.oo');
const databaseUrl = process.env['DATABASE_URL'] || undefined;
const natsUrl = process.env['NATS_URL'] || undefined;
const ports = process.env['OO_PORTS'] === 'free' ? 'free' : 'default';
const startedAt = Date.now();

interface Started {
  mode: string;
  urls: [string, string][];
  idpIssuer?: string;
  stop(): Promise<void>;
}

const issuerOf = (identity: DevIdentity) => (identity.idp ? { idpIssuer: identity.idp.issuer } : {});

async function startProcesses(database: string, nats: string): Promise<Started> {
  const system = await launchSystem({
    databaseUrl: database,
    natsUrl: nats,
    ports,
    // A development server need not reserve production-sized streams on this disk.
    streamMaxBytes: process.env['STREAM_MAX_BYTES'] || '1GiB',
    stateDir: STATE_DIR,
    env: { LOG_LEVEL: process.env['LOG_LEVEL'] || 'info' },
    onLine: (service, line) => process.stdout.write(`${service.padEnd(12)}| ${line}\n`),
  });
  const urls = [...system.services].map(([name, s]): [string, string] => [name, s.url]);
  return { mode: 'one process per service, on DATABASE_URL and NATS_URL', urls, ...issuerOf(system.identity), stop: system.stop };
}

async function startEmbedded(): Promise<Started> {
  const system = await startEmbeddedSystem({
    ...(databaseUrl ? { databaseUrl } : {}),
    dataDir: join(STATE_DIR, 'postgres'),
    ports,
    stateDir: STATE_DIR,
    env: { LOG_LEVEL: process.env['LOG_LEVEL'] || 'info' },
    onDatabaseLog: (line) => process.env['LOG_LEVEL'] === 'debug' && process.stdout.write(`postgres    | ${line}\n`),
    logDestination: pretty({ colorize: process.stdout.isTTY, singleLine: true, ignore: 'pid,hostname,version,service,requestId,traceId,spanId', messageFormat: '{service} | {msg}' }),
  });
  const where = system.dataDir ? `embedded Postgres (data in ${system.dataDir})` : 'Postgres at DATABASE_URL';
  const urls = [...system.services].map(([name, s]): [string, string] => [name, s.url]);
  return { mode: `every service in this process, ${where}, in-process bus`, urls, ...issuerOf(system.identity), stop: system.stop };
}

let started: Started | undefined;
let stopping = false;
function stopAll(): void {
  // A terminal's Ctrl-C reaches npm, tsx and us, and tsx passes it on again: one is enough.
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  setTimeout(() => process.exit(1), 15_000).unref();
  void (started?.stop() ?? Promise.resolve()).then(
    () => {
      console.log('stopped.');
      process.exit(process.exitCode ?? 0);
    },
    (err: unknown) => {
      console.error('stopping failed:', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}

async function main(): Promise<void> {
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  // The address a person opens comes first; with free ports it is known only once the gateway listens.
  if (ports === 'default') console.log(`oO → http://localhost:${DEFAULT_PORTS.gateway}  (the web app; starting…)`);
  ensureWebBuild((line) => console.log(line));
  started = databaseUrl && natsUrl ? await startProcesses(databaseUrl, natsUrl) : await startEmbedded();
  const gateway = publicGatewayUrl(started);
  console.log(`\noO is up at ${gateway} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${started.mode}).`);
  console.log(`  web app        ${gateway}/`);
  console.log(`  sign in        ${gateway}/v1/auth/sign-in`);
  console.log(`  API reference  ${gateway}/docs   (OpenAPI: ${gateway}/openapi.json)`);
  if (started.idpIssuer) {
    console.log(`  identity       the local identity provider at ${started.idpIssuer}: any name signs in; "${DEV_ADMIN_NAME}" is an admin`);
  }
  console.log(`  a token        npm run token -- <name>   (signs <name> in as a native app would and prints an access token)`);
  console.log(`\nEvery service (the gateway is the only one clients call):`);
  for (const [name, serviceUrl] of started.urls) console.log(`  ${name.padEnd(12)} ${serviceUrl}`);
  console.log(`\nCtrl-C stops everything.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  if (databaseUrl && natsUrl) console.error(`\nIs Postgres answering at DATABASE_URL and NATS JetStream at NATS_URL? See docs/runbooks/local-servers.md.`);
  process.exitCode = 1;
  stopAll();
});
