import { evaluatePolicy, type Estimate, type LoggedDecision, type RewardValues } from '@oo/bandit';
import type { DecisionContextInput, DecisionFeaturizer } from '@oo/decision-features';
import type { DecisionWithReaction } from './insights.repository';

/** How the report is made: the reward rule, the curve's window and the bootstrap. */
export interface LearningOptions {
  now: Date;
  /** A reaction counts when it came within this long of the tip; silence for this long counts as `rewards.none`. */
  rewardWindowMs: number;
  /** The learning curve's windows: a stretch of time, or a run of consecutive decisions. */
  curveWindow: { by: 'time'; ms: number } | { by: 'decisions'; count: number };
  rewards: RewardValues;
  resamples: number;
  seed: number;
  featurizer: DecisionFeaturizer;
}

export interface CurvePoint {
  windowStart: Date;
  decisions: number;
  /** Decisions whose reward is known (reacted, or silent for the whole reward window). */
  settled: number;
  meanReward: number | null;
}

export interface PolicyEstimate {
  /** `live`, `shadow:<name>` or `uniform`. */
  label: string;
  role: 'live' | 'shadow' | 'uniform';
  n: number;
  /** The mean reward logged under the live policy over the same decisions. */
  loggedMean: number | null;
  snips: Estimate | null;
  ips: Estimate | null;
  dr: Estimate | null;
  effectiveSampleSize: number | null;
}

/**
 * A decision's reward: its reaction's value when the reaction came inside the window, the value of
 * silence once the window has passed without one, and null while it is still open.
 *
 * @example
 * rewardOf(decision, new Date(), { rewardWindowMs: 86_400_000, rewards: DEFAULT_REWARDS }) // 1 for done
 */
export function rewardOf(d: DecisionWithReaction, now: Date, options: Pick<LearningOptions, 'rewardWindowMs' | 'rewards'>): number | null {
  const closesAt = d.servedAt.getTime() + options.rewardWindowMs;
  if (d.reaction && d.reactedAt && d.reactedAt.getTime() <= closesAt) return options.rewards[d.reaction];
  return now.getTime() >= closesAt ? options.rewards.none : null;
}

/**
 * Mean known reward per window, oldest first: per stretch of time (empty ones left out), or per
 * run of consecutive decisions (how a young system's learning shows, before it has many hours).
 * `decisions` must be oldest first.
 */
export function learningCurve(decisions: readonly DecisionWithReaction[], options: LearningOptions): CurvePoint[] {
  const windows = new Map<number, { decisions: number; settled: number; sum: number; firstServedAt: Date }>();
  const { curveWindow } = options;
  for (const [i, d] of decisions.entries()) {
    const start = curveWindow.by === 'time' ? Math.floor(d.servedAt.getTime() / curveWindow.ms) * curveWindow.ms : Math.floor(i / curveWindow.count);
    const w = windows.get(start) ?? { decisions: 0, settled: 0, sum: 0, firstServedAt: d.servedAt };
    w.decisions += 1;
    const reward = rewardOf(d, options.now, options);
    if (reward !== null) {
      w.settled += 1;
      w.sum += reward;
    }
    windows.set(start, w);
  }
  return [...windows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, w]) => ({ windowStart: curveWindow.by === 'time' ? new Date(start) : w.firstServedAt, decisions: w.decisions, settled: w.settled, meanReward: w.settled > 0 ? w.sum / w.settled : null }));
}

// The stored context is the decision's DecisionContextInput (plus its channel); an old or odd row
// still yields time-only context rather than failing the whole report.
function contextOf(stored: unknown): DecisionContextInput {
  const c = (stored ?? {}) as Partial<DecisionContextInput>;
  return { features: Array.isArray(c.features) ? c.features : [], timezone: c.timezone ?? 'UTC', localHour: c.localHour ?? 0, localWeekday: c.localWeekday ?? 0 };
}

interface Settled {
  decision: DecisionWithReaction;
  log: LoggedDecision;
}

function estimate(label: string, role: PolicyEstimate['role'], settled: readonly Settled[], targetOf: (d: DecisionWithReaction) => readonly number[] | undefined, options: LearningOptions): PolicyEstimate {
  const picked: LoggedDecision[] = [];
  const targets: (readonly number[])[] = [];
  for (const s of settled) {
    const target = targetOf(s.decision);
    if (target && target.length === s.log.probabilities.length) {
      picked.push(s.log);
      targets.push(target);
    }
  }
  if (picked.length === 0) return { label, role, n: 0, loggedMean: null, snips: null, ips: null, dr: null, effectiveSampleSize: null };
  const evaluation = evaluatePolicy(picked, targets, { seed: options.seed, resamples: options.resamples });
  const loggedMean = picked.reduce((sum, l) => sum + l.reward, 0) / picked.length;
  return { label, role, n: picked.length, loggedMean, snips: evaluation.snips, ips: evaluation.ips, dr: evaluation.dr, effectiveSampleSize: evaluation.effectiveSampleSize };
}

/**
 * Off-policy estimates over the settled, non-fallback decisions: the live policy, every shadow
 * policy logged beside it, and a uniform choice, each with IPS, SNIPS and DR and bootstrap intervals.
 *
 * @example
 * const rows = policyEstimates(decisions, { now, rewardWindowMs, curveWindowMs, rewards: DEFAULT_REWARDS, resamples: 200, seed: 1, featurizer });
 */
export function policyEstimates(decisions: readonly DecisionWithReaction[], options: LearningOptions): PolicyEstimate[] {
  const settled: Settled[] = [];
  for (const decision of decisions) {
    const reward = rewardOf(decision, options.now, options);
    const k = decision.candidates.length;
    // Only what the live policy logged with a usable propensity says anything about another policy.
    if (reward === null || decision.fallback || k === 0 || decision.probabilities.length !== k || !((decision.probabilities[decision.chosenIndex] ?? 0) > 0)) continue;
    const candidates = options.featurizer.vectors(decision.featureLayout, decision.candidates.map((c) => c.features), contextOf(decision.context));
    settled.push({ decision, log: { probabilities: decision.probabilities, chosen: decision.chosenIndex, reward, candidates } });
  }
  const shadowNames = [...new Set(settled.flatMap((s) => s.decision.shadows.map((sh) => sh.policy)))].sort();
  return [
    estimate('live', 'live', settled, (d) => d.probabilities, options),
    ...shadowNames.map((name) => estimate(`shadow:${name}`, 'shadow', settled, (d) => d.shadows.find((s) => s.policy === name)?.probabilities, options)),
    estimate('uniform', 'uniform', settled, (d) => d.candidates.map(() => 1 / d.candidates.length), options),
  ];
}
