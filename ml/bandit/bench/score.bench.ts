// Scoring latency per policy: 20 candidates × 16 features, a trained global model and a user with
// history, a fresh seeded rng per request (as ml-serving seeds by decision id).
// Run: npx tsx ml/bandit/bench/score.bench.ts [iterations]
import {
  createFeatureBuilder,
  createModel,
  createRng,
  scorePolicies,
  scorePolicy,
  updateModel,
  type BanditModel,
  type FeatureBuilder,
  type PolicySpec,
} from '../src/index';

const ITERATIONS = Number(process.argv[2] ?? 20_000);
const CANDIDATES = 20;

const POLICIES: [string, PolicySpec][] = [
  ['uniform', { kind: 'uniform' }],
  ['epsilon-greedy', { kind: 'epsilon-greedy' }],
  ['linucb', { kind: 'linucb' }],
  ['thompson (512 draws)', { kind: 'thompson' }],
  ['thompson (128 draws)', { kind: 'thompson', samples: 128 }],
];

function trainedModel(builder: FeatureBuilder, personal: 'main-effects' | 'all'): BanditModel {
  const model = createModel(builder.layout, { personal });
  const rng = createRng('bench-train');
  const nc = builder.spec.candidate.length;
  const nx = builder.spec.context.length;
  for (let t = 0; t < 5000; t++) {
    const [x] = builder.build([Array.from({ length: nc }, () => rng.float())], Array.from({ length: nx }, () => rng.float()));
    if (x === undefined) throw new Error('no vector');
    updateModel(model, { userId: `user-${t % 100}`, features: x, reward: rng.float() < 0.4 ? 1 : 0 });
  }
  return model;
}

function requestVectors(builder: FeatureBuilder): Float64Array[] {
  const rng = createRng('bench-request');
  const nc = builder.spec.candidate.length;
  const context = Array.from({ length: builder.spec.context.length }, () => rng.float());
  return builder.build(
    Array.from({ length: CANDIDATES }, () => Array.from({ length: nc }, () => rng.float())),
    context,
  );
}

function measure(run: (i: number) => void): { p50: number; p99: number; mean: number } {
  for (let i = 0; i < Math.min(2000, ITERATIONS); i++) run(i);
  const samples = new Float64Array(ITERATIONS);
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    run(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  const mean = samples.reduce((a, b) => a + b, 0) / ITERATIONS;
  samples.sort();
  const q = (p: number) => samples[Math.min(ITERATIONS - 1, Math.floor(p * ITERATIONS))] ?? Number.NaN;
  return { p50: q(0.5), p99: q(0.99), mean };
}

function report(label: string, builder: FeatureBuilder, personal: 'main-effects' | 'all'): void {
  const model = trainedModel(builder, personal);
  const candidates = requestVectors(builder);
  const d = builder.layout.names.length;
  console.log(`\n${label}: ${CANDIDATES} candidates × ${d} features, personal dimensions ${model.personalIndex.length}, ${ITERATIONS} requests each`);
  console.log('policy                          p50 µs    p99 µs   mean µs');
  const row = (name: string, r: { p50: number; p99: number; mean: number }) =>
    console.log(`${name.padEnd(30)} ${r.p50.toFixed(1).padStart(7)}   ${r.p99.toFixed(1).padStart(7)}   ${r.mean.toFixed(1).padStart(7)}`);
  for (const [name, spec] of POLICIES) {
    row(name, measure((i) => scorePolicy(model, spec, { userId: 'user-7', candidates, rng: createRng(i) })));
  }
  const all = POLICIES.slice(0, 4).map(([, spec]) => spec);
  row('all four at once', measure((i) => scorePolicies(model, all, { userId: 'user-7', candidates, rng: createRng(i) })));
  row('linucb, unseen user', measure((i) => scorePolicy(model, { kind: 'linucb' }, { userId: `new-${i}`, candidates })));
  const x = candidates[0] ?? new Float64Array(d);
  row('update (one reward)', measure((i) => updateModel(model, { userId: 'user-7', features: x, reward: i % 2 })));
}

// 16 features: bias, 3 candidate, 3 context and their 9 interactions.
report(
  'ml-serving target shape',
  createFeatureBuilder({ candidate: ['is_overdue', 'priority', 'is_task'], context: ['tod_morning', 'tod_evening', 'completion_rate_30d'] }),
  'main-effects',
);
report(
  'same, every dimension personal',
  createFeatureBuilder({ candidate: ['is_overdue', 'priority', 'is_task'], context: ['tod_morning', 'tod_evening', 'completion_rate_30d'] }),
  'all',
);
// The simulator's full outer product, for scale: 10 candidate × 5 context features.
report(
  'larger layout',
  createFeatureBuilder({
    candidate: ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'is_overdue', 'priority', 'task_age', 'due_soon'],
    context: ['tod_morning', 'tod_afternoon', 'tod_evening', 'tod_night', 'is_weekend'],
  }),
  'main-effects',
);
