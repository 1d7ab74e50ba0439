// Recommender benchmark: POST /v1/recommend end to end (real Postgres and JetStream, the local
// stand-ins for profile and ml-serving in this process), with ml-serving answering and with it
// down, and POST feedback. Run: npx tsx apps/recommender/bench/recommend.bench.ts
// Figures are per request inside this one process, so CPU includes the client and both stand-ins;
// the cross-service benchmark through the gateway measures the deployed shape.
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from '@oo/db';
import { startRecommenderHarness, type RecommenderHarness } from '../test/support/recommender-harness';
import type { UpstreamMode } from '../test/support/fake-upstreams';

const USERS = 200;
const TASKS_PER_USER = 20;
const WARMUP = 500;
const REQUESTS = 3_000;
const CONCURRENCY = 4;
const SEQUENTIAL = 1_000;
const HOUR_MS = 3_600_000;

interface Row {
  label: string;
  samples: number[];
  errors: number;
  cpuMsPerRequest: number;
}

const quantile = (ascending: number[], q: number): number =>
  ascending[Math.max(0, Math.min(ascending.length - 1, Math.ceil(q * ascending.length) - 1))] ?? Number.NaN;

async function seed(h: RecommenderHarness, now: Date): Promise<void> {
  const rows = [];
  for (let u = 0; u < USERS; u++) {
    for (let t = 0; t < TASKS_PER_USER; t++) {
      rows.push({
        task_id: `u${u}-t${t}`,
        user_id: `u${u}`,
        source: t % 3 === 0 ? 'google_tasks' : 'todoist',
        title: `Task ${t} of user ${u}`,
        due_at: t % 4 === 0 ? null : new Date(now.getTime() + ((t * 7) % 96) * HOUR_MS - 24 * HOUR_MS),
        priority: 1 + (t % 4),
        created_at: new Date(now.getTime() - t * 24 * HOUR_MS),
        completed_at: null,
        url: '',
        version_at: now,
        deleted: false,
      });
    }
  }
  for (let i = 0; i < rows.length; i += 1_000) await h.db.insertInto('tasks').values(rows.slice(i, i + 1_000)).execute();
  await sql`analyze tasks`.execute(h.db);
}

/** A keep-alive node:http client: fetch's own cost would otherwise dominate the client side. */
function poster(baseUrl: string, agent: http.Agent) {
  const port = Number(new URL(baseUrl).port);
  return (path: string, token: string, body?: string) =>
    new Promise<number>((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) };
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** Runs `count` requests, `concurrency` at a time; returns latencies and process CPU per request. */
async function closedLoop(label: string, count: number, send: (i: number) => Promise<number>, ok: number[], concurrency = CONCURRENCY): Promise<Row> {
  const samples: number[] = [];
  let errors = 0;
  let next = 0;
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const start = performance.now();
      const status = await send(i).catch(() => 0);
      if (ok.includes(status)) samples.push(performance.now() - start);
      else errors += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return { label, samples, errors, cpuMsPerRequest: (used.user + used.system) / 1000 / count };
}

async function main(): Promise<void> {
  const now = new Date('2026-11-23T10:00:00Z');
  const h = await startRecommenderHarness({ label: 'recommender-bench', clock: () => now, env: { LOG_LEVEL: 'error' } });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    await seed(h, now);
    const tokens = await Promise.all(Array.from({ length: USERS }, (_, u) => h.tokenFor(`u${u}`)));
    const post = poster(h.baseUrl, agent);
    const recommend = (i: number) => post('/v1/recommend', tokens[i % USERS] ?? '');
    const decide = async (mode: UpstreamMode, label: string): Promise<Row> => {
      h.ml.mode = mode;
      await closedLoop('warm-up', WARMUP, recommend, [200]);
      const row = await closedLoop(label, REQUESTS, recommend, [200]);
      h.ml.mode = 'ok';
      return row;
    };
    const rows = [await decide('ok', 'recommend, ml-serving answers')];
    rows.push(await closedLoop('recommend, one at a time', SEQUENTIAL, recommend, [200], 1));
    rows.push(await decide('down', 'recommend, ml-serving down (local policy)'));

    const decisions = await h.db.selectFrom('decisions').select(['decision_id', 'user_id']).limit(REQUESTS).execute();
    const tokenOf = new Map(tokens.map((t, u) => [`u${u}`, t]));
    rows.push(
      await closedLoop(
        'feedback (first reaction)',
        decisions.length,
        (i) => post(`/v1/tips/${decisions[i]?.decision_id}/feedback`, tokenOf.get(decisions[i]?.user_id ?? '') ?? '', '{"reaction":"done"}'),
        [202],
      ),
    );

    console.log(`recommender bench: ${USERS} users × ${TASKS_PER_USER} open tasks, ${CONCURRENCY} requests in flight unless one at a time, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}`);
    console.log(`${'measure'.padEnd(44)} ${'n'.padStart(6)} ${'errors'.padStart(7)} ${['p50', 'p90', 'p99', 'max'].map((c) => c.padStart(7)).join(' ')}  cpu/req   (ms)`);
    for (const row of rows) {
      const s = [...row.samples].sort((a, b) => a - b);
      const cells = [0.5, 0.9, 0.99, 1].map((q) => quantile(s, q).toFixed(2).padStart(7));
      console.log(`${row.label.padEnd(44)} ${String(s.length).padStart(6)} ${String(row.errors).padStart(7)} ${cells.join(' ')}  ${row.cpuMsPerRequest.toFixed(2).padStart(7)}`);
    }
  } finally {
    agent.destroy();
    await h.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
