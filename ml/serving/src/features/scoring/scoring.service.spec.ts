import { createModel, createRng, scorePolicies, updateModel, type BanditModel } from '@oo/bandit';
import { adviceFeatures, CANDIDATE_FEATURES, createDecisionFeaturizer, scoreResponseSchema, taskFeatures, type ParsedScoreRequest } from '@oo/decision-features';
import { MlServingError } from '../../errors';
import { createPolicyCatalog } from './policy-catalog';
import { createScorer } from './scoring.service';

const featurizer = createDecisionFeaturizer();
const now = new Date('2026-11-23T08:00:00Z');
const context = { features: [{ name: 'completion_rate_30d', value: 0.7, status: 'fresh' as const }], timezone: 'UTC', localHour: 8, localWeekday: 1 };
const candidates = [
  { id: 'overdue', features: taskFeatures({ source: 'todoist', createdAt: new Date('2026-11-01'), dueAt: new Date('2026-11-22'), priority: 4 }, now) },
  { id: 'break', features: adviceFeatures('break') },
  { id: 'plan', features: adviceFeatures('plan') },
];

function request(decisionId: string, policies: string[]): ParsedScoreRequest {
  return { userId: 'u1', decisionId, candidateFeatures: [...CANDIDATE_FEATURES], candidates, context, policies };
}

function trainedModel(): BanditModel {
  const model = createModel(featurizer.builder.layout);
  const xs = featurizer.vectors(CANDIDATE_FEATURES, candidates.map((c) => c.features), context);
  xs.forEach((x, i) => updateModel(model, { userId: 'u1', features: x, reward: i === 0 ? 1 : 0 }));
  return model;
}

describe('scorer', () => {
  const model = trainedModel();
  const scorer = createScorer({ featurizer, catalog: createPolicyCatalog(), currentModel: () => model });

  it('answers every named policy in request order, as the score API describes', () => {
    const response = scoreResponseSchema.parse(scorer.score(request('d1', ['uniform', 'linucb', 'thompson'])));
    expect(response.layoutVersion).toBe(featurizer.builder.layout.version);
    expect(response.results.map((r) => r.policy)).toEqual(['uniform', 'linucb', 'thompson']);
    expect(response.results.every((r) => r.modelVersion === `${featurizer.builder.layout.version}/3`)).toBe(true);
    expect(response.results[2]?.samples).toBe(256);
  });

  it('scores exactly as the bandit does with the catalog specs and an rng seeded by the decision id', () => {
    const xs = featurizer.vectors(CANDIDATE_FEATURES, candidates.map((c) => c.features), context);
    const specs = [{ kind: 'linucb', alpha: 0.3, epsilon: 0.05 } as const, { kind: 'thompson', samples: 256, epsilon: 0.05 } as const];
    const direct = scorePolicies(model, specs, { userId: 'u1', candidates: xs, rng: createRng('d7') });
    const served = scorer.score(request('d7', ['linucb', 'thompson']));
    expect(served.results.map((r) => r.probabilities)).toEqual(direct.map((r) => r.probabilities));
    expect(served.results[0]?.probabilities[0]).toBeCloseTo(1 - 0.05 + 0.05 / 3, 12);
  });

  it('reads candidates whose features come in another order by name', () => {
    const reversed = [...CANDIDATE_FEATURES].reverse();
    const shuffled = { ...request('d2', ['epsilon-greedy']), candidateFeatures: reversed, candidates: candidates.map((c) => ({ ...c, features: [...c.features].reverse() })) };
    expect(scorer.score(shuffled)).toEqual(scorer.score(request('d2', ['epsilon-greedy'])));
  });

  it('names unknown policies, and refuses to score before the model is loaded', () => {
    expect(scorer.unknownPolicies(['linucb', 'oracle', 'uniform', 'magic'])).toEqual(['oracle', 'magic']);
    expect(() => scorer.score(request('d3', ['oracle']))).toThrow(MlServingError);
    const loading = createScorer({ featurizer, catalog: createPolicyCatalog(), currentModel: () => undefined });
    expect(() => loading.score(request('d3', ['linucb']))).toThrow(expect.objectContaining({ code: 'ML_MODEL_NOT_READY', status: 503 }));
  });
});
