import { evaluatePolicy, type LoggedDecision, type PolicyEvaluation, type Vector } from '@oo/bandit';
import { ContextFeatureStatus, type DecisionContext, type TipServed } from '@oo/contracts';
import { createDecisionFeaturizer, type DecisionContextInput, type DecisionFeaturizer } from '@oo/decision-features';
import type { SettledDecision } from './reward-join';

/** Hears what a long evaluation is doing (a command line prints it); a no-op by default. */
export type ProgressFn = (message: string) => void;
const silentProgress: ProgressFn = () => undefined;

export type PolicyRole = 'live' | 'fallback' | 'shadow' | 'uniform';

/** One evaluated policy; `evaluation` is null when no decision could evaluate it. */
export interface PolicyRow {
  readonly label: string;
  readonly role: PolicyRole;
  /** Policy names seen (live and fallback rows can span several over time). */
  readonly names: readonly string[];
  readonly n: number;
  /** Decisions left out for this policy: a shadow that did not score, or a vector of the wrong length. */
  readonly skipped: number;
  /** Plain mean of the logged rewards over the same decisions (what the logging policy earned). */
  readonly loggedMean: number | null;
  readonly evaluation: PolicyEvaluation | null;
}

export interface EvaluateOptions {
  readonly seed: number;
  readonly resamples: number;
  readonly featurizer?: DecisionFeaturizer;
  readonly progress?: ProgressFn;
}

/** Settled decisions whose logged probabilities can be used at all (the others are reported, not evaluated). */
export function isUsable(served: TipServed): boolean {
  const k = served.candidates.length;
  const p = served.probabilities[served.chosenIndex];
  return k > 0 && served.probabilities.length === k && served.chosenIndex < k && p !== undefined && p > 0;
}

/**
 * IPS, SNIPS and DR (with DM) for the live policy, the fallback policy, every shadow policy and
 * uniform, over settled, usable decisions. Model vectors are rebuilt once per decision from the
 * logged raw features and context with the current decision layout.
 *
 * @example
 * const rows = evaluateDecisions(settlement.settled.filter((d) => isUsable(d.served)), { seed: 0, resamples: 1000 });
 */
export function evaluateDecisions(decisions: readonly SettledDecision[], options: EvaluateOptions): PolicyRow[] {
  const progress = options.progress ?? silentProgress;
  const featurizer = options.featurizer ?? createDecisionFeaturizer();
  const logs: LoggedDecision[] = decisions.map((d, i) => {
    if (i > 0 && i % 5_000 === 0) progress(`built model vectors for ${i} decisions`);
    return {
      probabilities: d.served.probabilities,
      chosen: d.served.chosenIndex,
      reward: d.reward,
      candidates: modelVectors(featurizer, d.served),
    };
  });
  const evaluate = (label: string, role: PolicyRole, targetOf: (d: SettledDecision) => readonly number[] | undefined): PolicyRow => {
    const picked: LoggedDecision[] = [];
    const targets: (readonly number[])[] = [];
    const names = new Set<string>();
    let skipped = 0;
    decisions.forEach((d, i) => {
      const target = targetOf(d);
      if (target === undefined) return;
      if (target.length !== d.served.candidates.length) {
        skipped++;
        return;
      }
      picked.push(logs[i] as LoggedDecision);
      targets.push(target);
      names.add(role === 'shadow' ? label.slice('shadow:'.length) : d.served.policy);
    });
    progress(`evaluating ${label} on ${picked.length} decisions`);
    const n = picked.length;
    const evaluation = n > 0 ? evaluatePolicy(picked, targets, { seed: options.seed, resamples: options.resamples }) : null;
    const loggedMean = n > 0 ? picked.reduce((s, l) => s + l.reward, 0) / n : null;
    return { label, role, names: role === 'uniform' ? ['uniform'] : [...names].sort(), n, skipped, loggedMean, evaluation };
  };

  const rows = [
    evaluate('live', 'live', (d) => (d.served.fallback ? undefined : d.served.probabilities)),
    evaluate('fallback', 'fallback', (d) => (d.served.fallback ? d.served.probabilities : undefined)),
  ];
  for (const name of shadowNames(decisions)) {
    rows.push(
      evaluate(`shadow:${name}`, 'shadow', (d) => {
        const shadow = d.served.shadowPolicies.find((s) => s.policy === name);
        // A shadow that failed to score logs an empty vector; that decision says nothing about it.
        return shadow && shadow.probabilities.length > 0 ? shadow.probabilities : shadowMissing(shadow);
      }),
    );
  }
  rows.push(evaluate('uniform', 'uniform', (d) => d.served.candidates.map(() => 1 / d.served.candidates.length)));
  return rows;
}

// Present but empty: counted as skipped (a length mismatch), unlike decisions made before the shadow existed.
function shadowMissing(shadow: { probabilities: number[] } | undefined): readonly number[] | undefined {
  return shadow ? [] : undefined;
}

function shadowNames(decisions: readonly SettledDecision[]): string[] {
  const names = new Set<string>();
  for (const d of decisions) for (const s of d.served.shadowPolicies) names.add(s.policy);
  return [...names].sort();
}

/** Model vectors of a logged decision under the current decision layout. */
export function modelVectors(featurizer: DecisionFeaturizer, served: TipServed): Vector[] {
  return featurizer.vectors(
    served.featureLayout,
    served.candidates.map((c) => c.features),
    contextInput(served.context),
  );
}

const STATUS: Readonly<Record<number, DecisionContextInput['features'][number]['status']>> = {
  [ContextFeatureStatus.FRESH]: 'fresh',
  [ContextFeatureStatus.RECOMPUTED]: 'recomputed',
};

/** The logged context as the featurizer takes it; the proto's ISO weekday (1 Monday … 7 Sunday) becomes 0 Sunday … 6 Saturday. */
export function contextInput(context: DecisionContext | undefined): DecisionContextInput {
  return {
    features: (context?.features ?? []).map((f) => ({
      name: f.name,
      value: f.value.case === 'numberValue' || f.value.case === 'textValue' ? f.value.value : Number.NaN,
      status: STATUS[f.status] ?? 'fallback',
    })),
    timezone: context?.timezone ?? 'UTC',
    localHour: context?.localHour ?? 0,
    localWeekday: (context?.localWeekday ?? 0) % 7,
  };
}
