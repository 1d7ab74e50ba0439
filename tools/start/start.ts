// `npm start`: migrates, provisions the streams, and runs every service of this checkout as its
// own process against DATABASE_URL and NATS_URL (the machine's own servers when unset).
import { join } from 'node:path';
import { ROOT } from '../services';
import { launchSystem, type RunningSystem } from '../system/launch-system';

// Where tools that act as users (npm run simulate, benchmarks) find this run's signing key.
const DEV_KEY_FILE = join(ROOT, '.oo', 'dev-auth.json');
const databaseUrl = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env['NATS_URL'] || 'nats://127.0.0.1:4222';

let system: RunningSystem | undefined;
let stopping = false;
function stopAll(): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 15_000).unref();
  void (system?.stop() ?? Promise.resolve()).then(() => process.exit(process.exitCode ?? 0));
}

async function main(): Promise<void> {
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  system = await launchSystem({
    databaseUrl,
    natsUrl,
    ports: 'default',
    // A development server need not reserve production-sized streams on this disk.
    streamMaxBytes: process.env['STREAM_MAX_BYTES'] || '1GiB',
    keyFile: DEV_KEY_FILE,
    env: { LOG_LEVEL: process.env['LOG_LEVEL'] || 'info' },
    onLine: (service, line) => process.stdout.write(`${service.padEnd(12)}| ${line}\n`),
  });
  const token = await system.auth.tokenFor('demo-user');
  console.log('\noO is up:');
  for (const [name, s] of system.services) console.log(`  ${name.padEnd(12)} ${s.url}`);
  console.log(`\nA token for user "demo-user", valid 12 h (this run's dev key):\n  export TOKEN=${token}`);
  if (system.services.has('profile')) {
    console.log(`  curl -H "authorization: Bearer $TOKEN" ${system.url('profile')}/v1/profiles/demo-user/features`);
  }
  if (system.services.has('recommender')) {
    console.log(`  curl -X POST -H "authorization: Bearer $TOKEN" ${system.url('recommender')}/v1/recommend`);
  }
  console.log(`\nThe dev signing key is in ${DEV_KEY_FILE} (npm run simulate reads it). Ctrl-C stops everything.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error(`\nIs Postgres answering at ${databaseUrl} and NATS JetStream at ${natsUrl}? See docs/runbooks/local-servers.md.`);
  process.exitCode = 1;
  stopAll();
});
