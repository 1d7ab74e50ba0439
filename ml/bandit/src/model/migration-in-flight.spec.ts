import { createRng } from '../random/seeded-rng';
import { DecisionSimulator } from '../simulator/decision-simulator';
import type { WindowStats } from '../simulator/simulation-session';
import { SimulationSession } from '../simulator/simulation-session';
import { simulatorFeaturizer } from '../simulator/simulator-featurizer';
import { CANDIDATE_FEATURES, CONTEXT_FEATURES } from '../simulator/user-population';
import { createModel } from './bandit-model';
import { migrateModel } from './model-migration';
import { at } from '../../test/strict-access.helper';

// Before: no due_soon and no weekend. After: due_soon and weekend added, task_age removed,
// candidate features reordered — the kinds of change a feature registry goes through.
const before = simulatorFeaturizer({
  candidate: CANDIDATE_FEATURES.filter((n) => n !== 'due_soon'),
  context: CONTEXT_FEATURES.filter((n) => n !== 'is_weekend'),
});
const after = simulatorFeaturizer({
  candidate: ['due_soon', ...CANDIDATE_FEATURES.filter((n) => n !== 'task_age' && n !== 'due_soon').reverse()],
  context: CONTEXT_FEATURES,
});

// Windows see different users and hours, so compare how much of the uniform → oracle gap each
// one closes rather than raw rewards.
const gapClosed = (w: WindowStats) => (w.expected - w.uniform) / (w.oracle - w.uniform);

describe('a layout change in flight (simulator, LinUCB)', () => {
  it('keeps performance when the model is migrated, where a reset model drops', () => {
    const rows = [1, 2].map((seed) => {
      const session = new SimulationSession(new DecisionSimulator({ seed }), createRng(`layout-${seed}`));
      const model = createModel(before.builder.layout);
      const past = session.run({ decisions: 1500, policy: { kind: 'linucb' }, model, featurize: before.featurize, window: 500 });
      // Every arm continues from the same past, with rewards of old decisions still arriving.
      const next = (m: typeof model) =>
        gapClosed(session.fork().run({ decisions: 500, policy: { kind: 'linucb' }, model: m, featurize: after.featurize }));
      return {
        seed,
        before: gapClosed(at(past.windows, past.windows.length - 1)),
        migrated: next(migrateModel(model, after.builder.layout).model),
        cautious: next(migrateModel(model, after.builder.layout, { newPriorScale: 10 }).model),
        reset: next(createModel(after.builder.layout)),
      };
    });
    const mean = (key: 'before' | 'migrated' | 'cautious' | 'reset') => rows.reduce((s, r) => s + r[key], 0) / rows.length;
    const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
    console.log(
      `layout change, share of the uniform → oracle gap closed: last 500 before ${pct(mean('before'))} → next 500 ` +
        `migrated ${pct(mean('migrated'))} (newPriorScale 10: ${pct(mean('cautious'))}), reset ${pct(mean('reset'))}; per seed ` +
        rows.map((r) => `${r.seed}: ${pct(r.before)} → ${pct(r.migrated)} (${pct(r.cautious)}) / ${pct(r.reset)}`).join(', '),
    );
    // New weights start at the prior and cost a little exploration; the rest of the model carries on.
    expect(mean('migrated')).toBeGreaterThan(mean('before') - 0.1);
    expect(mean('cautious')).toBeGreaterThan(mean('before') - 0.05);
    expect(mean('migrated') - mean('reset')).toBeGreaterThan(0.12);
    for (const r of rows) expect(Math.min(r.migrated, r.cautious)).toBeGreaterThan(r.reset + 0.08);
  });
});
