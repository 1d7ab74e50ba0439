// `npm start`: migrates, provisions the streams, and runs every service of this checkout as its
// own process against DATABASE_URL and NATS_URL (the machine's own servers when unset).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { discoverServices, ROOT, type ServiceEntry } from '../services';
import { createDevAuth, DEV_ISSUER } from './dev-auth';

const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres',
  NATS_URL: process.env['NATS_URL'] || 'nats://127.0.0.1:4222',
  LOG_LEVEL: process.env['LOG_LEVEL'] || 'info',
  // A development server need not reserve production-sized streams on this disk.
  STREAM_MAX_BYTES: process.env['STREAM_MAX_BYTES'] || '1GiB',
};
const children: ChildProcess[] = [];
// Where tools that act as users (npm run simulate, benchmarks) find this run's signing key.
const DEV_KEY_FILE = join(ROOT, '.oo', 'dev-auth.json');

// Each service finds the others at their default ports on this host.
function upstreamUrls(services: ServiceEntry[]): NodeJS.ProcessEnv {
  const urls: NodeJS.ProcessEnv = {};
  for (const s of services) urls[`${s.name.toUpperCase().replaceAll('-', '_')}_URL`] = `http://127.0.0.1:${s.port}`;
  return urls;
}

function runStep(what: string, args: string[]): void {
  const run = spawnSync(tsx, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (run.status !== 0) {
    console.error(`\n${what} failed. Is Postgres answering at ${env['DATABASE_URL']} and NATS JetStream at ${env['NATS_URL']}?`);
    console.error('Set DATABASE_URL and NATS_URL, or start the servers (see docs/runbooks/local-servers.md).');
    process.exit(1);
  }
}

async function waitHealthy(service: ServiceEntry): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${service.port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${service.name} did not become healthy on port ${service.port}`);
}

function startService(service: ServiceEntry, serviceEnv: NodeJS.ProcessEnv): void {
  const child = spawn(tsx, [service.main], { env: { ...serviceEnv, PORT: String(service.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `${service.name.padEnd(12)}|`;
  const relay = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) process.stdout.write(`${prefix} ${line}\n`);
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  child.on('exit', (code) => {
    if (!stopping) console.error(`${prefix} exited with ${code}`);
  });
  children.push(child);
}

let stopping = false;
function stopAll(): void {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 12_000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))))).then(() => process.exit(0));
}

async function main(): Promise<void> {
  const services = discoverServices();
  if (services.length === 0) throw new Error('no services found under apps/ or ml/');
  runStep('Migrations', [join(ROOT, 'tools/migrate/migrate-all.ts')]);
  const provision = join(ROOT, 'tools/provision/provision.ts');
  if (existsSync(provision)) runStep('Provisioning NATS streams', [provision]);

  const auth = await createDevAuth();
  auth.writeKeyFile(DEV_KEY_FILE);
  const serviceEnv: NodeJS.ProcessEnv = { ...env, AUTH_ISSUER: DEV_ISSUER, AUTH_JWKS: auth.jwks, AUTH_JWKS_URL: undefined, ...upstreamUrls(services) };
  for (const service of services) {
    startService(service, { ...serviceEnv, SERVICE_TOKEN: await auth.serviceTokenFor(service.name) });
  }
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  await Promise.all(services.map(waitHealthy));

  const token = await auth.tokenFor('demo-user');
  console.log('\noO is up:');
  for (const s of services) console.log(`  ${s.name.padEnd(12)} http://localhost:${s.port}`);
  console.log(`\nA token for user "demo-user", valid 12 h (this run's dev key):\n  export TOKEN=${token}`);
  const profile = services.find((s) => s.name === 'profile');
  if (profile) console.log(`  curl -H "authorization: Bearer $TOKEN" http://localhost:${profile.port}/v1/profiles/demo-user/features`);
  const recommender = services.find((s) => s.name === 'recommender');
  if (recommender) console.log(`  curl -X POST -H "authorization: Bearer $TOKEN" http://localhost:${recommender.port}/v1/recommend`);
  console.log(`\nThe dev signing key is in ${DEV_KEY_FILE} (for npm run simulate).`);
  console.log('\nCtrl-C stops everything.');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  stopAll();
  process.exitCode = 1;
});
