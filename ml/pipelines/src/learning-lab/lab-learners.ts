import { createDecisionFeaturizer } from '@oo/decision-features';
import type { LabLearner } from './lab-run';

// Names of the decision layout that may deviate per person besides the main effects: how tasks
// and each advice kind fare at each time of day and on weekends.
function mainEffectsPlusMoments(): string[] {
  const names = createDecisionFeaturizer().builder.layout.names;
  return names.filter((n) => !n.includes('*') || /^cand\.(is_task|kind_[a-z]+)\*ctx\.(tod_[a-z]+|is_weekend)$/.test(n));
}

/**
 * Named learners to compare. `production` is what runs today: ml-serving's model defaults
 * (MODEL_LAMBDA 1, MODEL_USER_LAMBDA 8, personal main effects) and the recommender's default
 * LIVE_POLICY, `linucb` from ml-serving's policy catalog (α 0.3, ε 0.05). Keep it equal to them.
 */
export function labLearners() {
  const moments = mainEffectsPlusMoments();
  return {
    production: { name: 'production', model: { lambda: 1, userLambda: 8, personal: 'main-effects' }, policy: { kind: 'linucb', alpha: 0.3, epsilon: 0.05 } },
    'production-thompson': { name: 'production-thompson', model: { lambda: 1, userLambda: 8, personal: 'main-effects' }, policy: { kind: 'thompson', samples: 256, epsilon: 0.05 } },
    'moments-personal': { name: 'moments-personal', model: { lambda: 1, userLambda: 8, personal: moments }, policy: { kind: 'linucb', alpha: 0.3, epsilon: 0.05 } },
    'all-personal': { name: 'all-personal', model: { lambda: 1, userLambda: 8, personal: 'all' }, policy: { kind: 'linucb', alpha: 0.3, epsilon: 0.05 } },
    uniform: { name: 'uniform', model: { lambda: 1, userLambda: 8, personal: 'main-effects' }, policy: { kind: 'uniform' } },
  } satisfies Record<string, LabLearner>;
}
