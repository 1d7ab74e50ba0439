// ml-serving score latency: the in-process scoring function, then HTTP round trips (keep-alive)
// against the real service at 200 requests/s and flat out. 20 candidates × 14 raw features
// (82-dimensional model vectors), a model trained on 5 000 decisions of 200 users, the scored user
// with history. The HTTP client runs in a child process (this file again) so its work does not
// queue on the service's event loop. Run: npx tsx ml/serving/bench/score.bench.ts
import { fork } from 'node:child_process';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { createModel, createRng, toSnapshot, updateModel, type BanditModel } from '@oo/bandit';
import { CANDIDATE_FEATURES, createDecisionFeaturizer, scoreRequestSchema, type ScoreRequest } from '@oo/decision-features';
import { encodeSnapshot } from '@oo/model-state';
import { createPolicyCatalog } from '../src/features/scoring/policy-catalog';
import { createScorer } from '../src/features/scoring/scoring.service';
import { startMlHarness } from '../test/support/ml-serving-harness';

const CANDIDATES = 20;
const TRAINING = 5_000;
const USERS = 200;
const IN_PROCESS = 5_000;
const RATE_PER_SEC = 200;
const PACED_SEC = 10;
const FLAT_OUT_SEC = 5;
const FLAT_OUT_CONCURRENCY = 4;
const CLIENT_ENV = 'ML_SCORE_BENCH_CLIENT';
const LIVE_AND_SHADOWS = ['linucb', 'thompson', 'epsilon-greedy', 'uniform'];

type Row = [label: string, samples: number[], errors?: number];
interface ClientJob {
  port: number;
  token: string;
  bodies: string[];
}
interface ClientResult {
  paced: number[];
  pacedErrors: number;
  flat: number[];
  flatErrors: number;
  flatRate: number;
}

const featurizer = createDecisionFeaturizer();

function randomRequest(rng: ReturnType<typeof createRng>, decisionId: string, policies: string[]): ScoreRequest {
  const candidates = Array.from({ length: CANDIDATES }, (_, i) => {
    const isTask = rng.float() < 0.7;
    const kind = rng.int(4);
    const features = CANDIDATE_FEATURES.map((name) => {
      if (name === 'is_task') return isTask ? 1 : 0;
      if (name.startsWith('kind_')) return !isTask && CANDIDATE_FEATURES.indexOf(name) - CANDIDATE_FEATURES.indexOf('kind_break') === kind ? 1 : 0;
      return isTask ? Math.round(rng.float() * 100) / 50 : 0;
    });
    return { id: `c${i}`, features };
  });
  const context = {
    features: [
      { name: 'completion_rate_30d', value: rng.float(), status: 'fresh' as const },
      { name: 'dismiss_rate_30d', value: rng.float() / 2, status: 'fresh' as const },
      { name: 'preferred_hour', value: rng.int(24), status: 'recomputed' as const },
      { name: 'tip_volume_30d', value: rng.int(150), status: 'fresh' as const },
    ],
    timezone: 'Europe/Berlin',
    localHour: rng.int(24),
    localWeekday: rng.int(7),
  };
  return { userId: `user-${rng.int(USERS)}`, decisionId, candidateFeatures: [...CANDIDATE_FEATURES], candidates, context, policies };
}

function trainedModel(): BanditModel {
  const model = createModel(featurizer.builder.layout);
  const rng = createRng('bench-training');
  for (let t = 0; t < TRAINING; t++) {
    const request = randomRequest(rng, `t${t}`, []);
    const pick = request.candidates[rng.int(CANDIDATES)];
    if (pick === undefined) continue;
    const [x] = featurizer.vectors(CANDIDATE_FEATURES, [pick.features], request.context);
    if (x) updateModel(model, { userId: request.userId, features: x, reward: [1, 0.25, 0, 0][rng.int(4)] ?? 0 });
  }
  return model;
}

const quantile = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

function printTable(rows: Row[]): void {
  console.log(`${'measure'.padEnd(58)}${'n'.padStart(7)}${'errors'.padStart(8)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}   (ms)`);
  for (const [label, samples, errors = 0] of rows) {
    const s = [...samples].sort((a, b) => a - b);
    const cells = [0.5, 0.9, 0.99, 1].map((q) => quantile(s, q).toFixed(3).padStart(9)).join('');
    console.log(`${label.padEnd(58)}${String(s.length).padStart(7)}${String(errors).padStart(8)}${cells}`);
  }
}

function inProcess(model: BanditModel): Row[] {
  const scorer = createScorer({ featurizer, catalog: createPolicyCatalog(), currentModel: () => model });
  const rng = createRng('bench-requests');
  const time = (label: string, policies: string[], withJson: boolean): Row => {
    const bodies = Array.from({ length: 500 }, (_, i) => JSON.stringify(randomRequest(rng, `d${i}`, policies)));
    const requests = bodies.map((body) => scoreRequestSchema.parse(JSON.parse(body)));
    const run = withJson
      ? (i: number) => JSON.stringify(scorer.score(scoreRequestSchema.parse(JSON.parse(bodies[i % bodies.length] as string))))
      : (i: number) => scorer.score(requests[i % requests.length] as (typeof requests)[number]);
    for (let i = 0; i < 1_000; i++) run(i);
    const samples: number[] = [];
    for (let i = 0; i < IN_PROCESS; i++) {
      const start = process.hrtime.bigint();
      run(i);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return [label, samples];
  };
  return [
    time('in process: featurize + score, linucb', ['linucb'], false),
    time('in process: featurize + score, thompson (256 draws)', ['thompson'], false),
    time('in process: featurize + score, all four policies', LIVE_AND_SHADOWS, false),
    time('in process: + JSON parse, validate, serialize (all four)', LIVE_AND_SHADOWS, true),
  ];
}

async function main(): Promise<void> {
  console.log(`cpus ${cpus().length}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, layout ${featurizer.builder.layout.names.length} dimensions`);
  const model = trainedModel();
  const bytes = encodeSnapshot(toSnapshot(model));
  console.log(`model: ${TRAINING} observations, ${model.users.size} users, snapshot ${(bytes.length / 1024).toFixed(0)} KiB (JSON ${(JSON.stringify(toSnapshot(model)).length / 1024).toFixed(0)} KiB)`);
  const rows = inProcess(model);

  const h = await startMlHarness({
    label: 'ml-score-bench',
    beforeStart: async (db) => {
      await db.insertInto('model_snapshots').values({ layout_version: model.layout.version, version: TRAINING, snapshot: bytes, users: model.users.size, created_at: new Date() }).execute();
      await db.insertInto('feature_layouts').values({ version: model.layout.version, names: JSON.stringify(model.layout.names) }).execute();
      await db.updateTable('observation_counter').set({ seq: TRAINING }).execute();
    },
  });
  try {
    const rng = createRng('bench-http');
    const bodies = Array.from({ length: 500 }, (_, i) => JSON.stringify(randomRequest(rng, `h${i}`, LIVE_AND_SHADOWS)));
    const job: ClientJob = { port: Number(new URL(h.baseUrl).port), token: await h.token('service'), bodies };
    const child = fork(__filename, [], { env: { ...process.env, [CLIENT_ENV]: '1' }, execArgv: process.execArgv });
    const result = await new Promise<ClientResult>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ClientResult));
      child.once('error', reject);
      child.send(job);
    });
    child.kill();
    rows.push([`HTTP, all four policies, ${RATE_PER_SEC} req/s for ${PACED_SEC} s`, result.paced, result.pacedErrors]);
    rows.push([`HTTP, all four policies, flat out (${FLAT_OUT_CONCURRENCY} in flight): ${result.flatRate.toFixed(0)} req/s`, result.flat, result.flatErrors]);
  } finally {
    await h.stop();
  }
  printTable(rows);
  console.log('target: ml-serving score, 20 candidates, p99 ≤ 3 ms');
}

// ---- client (child process) ----

async function client(job: ClientJob): Promise<ClientResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const post = (body: string) =>
    new Promise<boolean>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: job.port, path: '/v1/score', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200));
        },
      );
      req.on('error', () => resolve(false));
      req.end(body);
    });
  for (let i = 0; i < 500; i++) await post(job.bodies[i % job.bodies.length] as string);

  // Paced: open loop, latency counted from the scheduled send time (no coordinated omission).
  const paced: number[] = [];
  let pacedErrors = 0;
  const start = performance.now();
  const total = RATE_PER_SEC * PACED_SEC;
  await Promise.all(
    Array.from({ length: total }, (_, i) => {
      const due = start + (i * 1000) / RATE_PER_SEC;
      return new Promise<void>((resolve) =>
        setTimeout(async () => {
          const ok = await post(job.bodies[i % job.bodies.length] as string);
          if (ok) paced.push(performance.now() - due);
          else pacedErrors += 1;
          resolve();
        }, Math.max(0, due - performance.now())),
      );
    }),
  );

  const flat: number[] = [];
  let flatErrors = 0;
  const flatStart = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: FLAT_OUT_CONCURRENCY }, async () => {
      while (performance.now() - flatStart < FLAT_OUT_SEC * 1000) {
        const t0 = performance.now();
        const ok = await post(job.bodies[sent++ % job.bodies.length] as string);
        if (ok) flat.push(performance.now() - t0);
        else flatErrors += 1;
      }
    }),
  );
  const flatRate = (flat.length + flatErrors) / ((performance.now() - flatStart) / 1000);
  agent.destroy();
  return { paced, pacedErrors, flat, flatErrors, flatRate };
}

if (process.env[CLIENT_ENV]) {
  process.once('message', (job) => {
    void client(job as ClientJob).then((result) => process.send?.(result));
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
