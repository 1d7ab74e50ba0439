// integrations under load, against the real services (each its own process) and the local
// provider stand-ins: how fast a first sync brings a large account's tasks into the
// recommender's read model (tasks per second, Todoist in one sync answer and Google in pages),
// and how long a manual task takes from the API call to being a candidate.
// `npx tsx tools/bench/integrations.bench.ts [--todoist 5000] [--google 2000] [--manual 50]`; part of `npm run bench`.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEFAULT_GOOGLE_CLIENT, startGoogleTasksServer, startTodoistServer } from '@oo/provider-servers';
import { eventually, testDatabaseUrl, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { call } from '../e2e/e2e-support';
import { launchSystem, type RunningSystem } from '../system/launch-system';

const { values: args } = parseArgs({
  options: { todoist: { type: 'string', default: '5000' }, google: { type: 'string', default: '2000' }, manual: { type: 'string', default: '50' } },
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function candidates(db: pg.Client, schema: string, userId: string, source: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from "${schema}".tasks where user_id = $1 and source = $2 and not deleted`, [userId, source]);
  return Number(rows[0]?.n ?? 0);
}

// Connects a provider through the gateway the way a browser does; returns when the callback answered.
async function connectThroughGateway(system: RunningSystem, token: string, provider: string): Promise<void> {
  const gateway = system.url('gateway');
  const start = await call('POST', `${gateway}/v1/me/connections/${provider}/connect`, token, { timeZone: 'Europe/Berlin' });
  const consent = await fetch((start.body as { authorizationUrl: string }).authorizationUrl, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location') ?? '');
  const done = await call('GET', `${gateway}${back.pathname}${back.search}`, token);
  if (done.status !== 201) throw new Error(`connecting ${provider} answered ${done.status}: ${JSON.stringify(done.body)}`);
}

async function firstSync(system: RunningSystem, db: pg.Client, schema: string, session: { userId: string; accessToken: string }, provider: string, expected: number): Promise<void> {
  const began = performance.now();
  await connectThroughGateway(system, session.accessToken, provider);
  await eventually(async () => ((await candidates(db, schema, session.userId, provider)) >= expected ? true : undefined), `${expected} ${provider} candidates`, 300_000, 20);
  const seconds = (performance.now() - began) / 1000;
  console.log(`${provider} first sync, ${expected} tasks: ${seconds.toFixed(2)} s from the callback to the last candidate, ${(expected / seconds).toFixed(0)} tasks/s end to end`);
}

async function main(): Promise<void> {
  const todoistTasks = Number(args.todoist);
  const googleTasks = Number(args.google);
  const todoist = await startTodoistServer();
  const google = await startGoogleTasksServer();
  const prefix = uniqueStreamPrefix('bench-integrations');
  const syncLog: string[] = [];
  console.log(`starting the services (prefix ${prefix}) …`);
  const system = await launchSystem({
    databaseUrl: testDatabaseUrl(),
    natsUrl: testNatsUrl(),
    streamPrefix: prefix,
    schemaPrefix: prefix,
    ports: 'free',
    streamMaxBytes: '256MiB',
    onLine: (service, line) => {
      if (service === 'integrations' && line.includes('sync finished')) syncLog.push(line);
    },
    env: {
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_USER: '1000000',
      PROVIDERS_ALLOW_HTTP: 'true',
      SYNC_TICK_MS: '50',
      SYNC_INTERVAL_MS: '3600000',
      MAX_MANUAL_TASKS_PER_USER: '100000',
      ...todoist.integrationsEnv,
      GOOGLE_CLIENT_ID: DEFAULT_GOOGLE_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: DEFAULT_GOOGLE_CLIENT.clientSecret,
      GOOGLE_AUTHORIZE_URL: google.authorizeUrl,
      GOOGLE_TOKEN_URL: google.tokenUrl,
      GOOGLE_REVOKE_URL: google.revokeUrl,
      GOOGLE_TASKS_API_URL: google.url,
    },
  });
  // The stand-in checks redirect URIs exactly; the gateway's public URL is known only now.
  google.clients[0]?.redirectUris.push(`${system.identity.publicUrl}/v1/connections/google_tasks/callback`);
  const db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  const schema = `${prefix}_recommender`;
  try {
    const session = await system.signIn('bench-integrations');
    todoist.signIn('bench-at-todoist');
    for (let i = 0; i < todoistTasks; i++) todoist.addTask({ user: 'bench-at-todoist', content: `Todoist task ${i}`, priority: ((i % 4) + 1) as 1 | 2 | 3 | 4, due: i % 3 === 0 ? { date: '2026-12-10' } : null });
    await firstSync(system, db, schema, session, 'todoist', todoistTasks);

    const list = google.addList('Bench');
    for (let i = 0; i < googleTasks; i++) google.addTask(list.id, { title: `Google task ${i}` });
    await firstSync(system, db, schema, session, 'google_tasks', googleTasks);

    const delays: number[] = [];
    for (let i = 0; i < Number(args.manual); i++) {
      const began = performance.now();
      const created = await call('POST', `${system.url('gateway')}/v1/me/tasks`, session.accessToken, { title: `Manual task ${i}`, priority: 2 });
      const id = (created.body as { id: string }).id;
      await eventually(async () => {
        const { rows } = await db.query(`select 1 from "${schema}".tasks where task_id = $1`, [id]);
        return rows.length > 0 ? true : undefined;
      }, 'the manual task as a candidate', 10_000, 2);
      delays.push(performance.now() - began);
    }
    delays.sort((a, b) => a - b);
    console.log(
      `manual task, POST /v1/me/tasks → a candidate in the recommender's read model, ${delays.length} tasks: p50 ${percentile(delays, 50).toFixed(1)} ms, p95 ${percentile(delays, 95).toFixed(1)} ms, max ${delays.at(-1)?.toFixed(1)} ms`,
    );
    // The sync's own part (fetch and commit in integrations); the outbox relay and the recommender's consumer follow it.
    for (const line of syncLog) {
      const entry = JSON.parse(line) as { provider: string; pages: number; upserted: number; ms: number };
      console.log(`  of which integrations' sync (${entry.provider}): ${entry.pages} page(s), ${entry.upserted} upserts in ${(entry.ms / 1000).toFixed(2)} s, ${((entry.upserted / entry.ms) * 1000).toFixed(0)} tasks/s`);
    }
  } finally {
    await db.end();
    await system.stop();
    await todoist.stop();
    await google.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
