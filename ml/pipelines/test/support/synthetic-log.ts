import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { createRng } from '@oo/bandit';
import {
  ContextFeatureStatus,
  Reaction,
  TipFeedbackSchema,
  TipServedSchema,
  type TipFeedback,
  type TipServed,
} from '@oo/contracts';
import { adviceFeatures, CANDIDATE_FEATURES, isAdviceKind, localTime, taskFeatures, timeOfDay } from '@oo/decision-features';
import { createHiddenWorld } from '../../src/simulate/hidden-world';
import { adviceApplies, adviceCandidate, createPopulation, taskCandidate, type AdviceItem } from '../../src/simulate/sim-population';

export const SYNTHETIC_ADVICE: readonly AdviceItem[] = [
  { id: 'a-break', kind: 'break', title: 'Stretch', appliesWhen: { hours: [10, 20] } },
  { id: 'a-plan', kind: 'plan', title: 'Plan tomorrow', appliesWhen: { hours: [16, 23] } },
  { id: 'a-focus', kind: 'focus', title: 'One thing for 25 minutes' },
  { id: 'a-reflect', kind: 'reflect', title: 'What went well?', appliesWhen: { hours: [18, 2] } },
];

export interface SyntheticLogOptions {
  readonly seed: number;
  readonly decisions: number;
  readonly users?: number;
  /** Served time of the first decision; later ones follow every `gapMs`. */
  readonly start: Date;
  readonly gapMs?: number;
  /** Every n-th decision (n ≥ 1) is marked as chosen by the fallback policy, without shadows. */
  readonly fallbackEvery?: number;
}

export interface SyntheticLog {
  readonly served: TipServed[];
  readonly feedback: TipFeedback[];
  /** Mean of Σ π(a)·E[r(a)] under the hidden world: the target over the decisions it scored (not fallback), uniform over all. */
  readonly truth: { readonly target: number; readonly uniform: number };
  readonly rewards: number[];
}

const REACTION = { done: Reaction.DONE, snooze: Reaction.SNOOZE, dismiss: Reaction.DISMISS } as const;

/**
 * A decision log with a known answer: candidates from the simulation's users and advice, logged
 * by a uniform policy; the shadow `truth-greedy` puts 0.8 on the truly best candidate and spreads
 * 0.2 evenly, so its true value is computable from the hidden world.
 */
export function syntheticLog(options: SyntheticLogOptions): SyntheticLog {
  const users = createPopulation({ seed: options.seed, users: options.users ?? 12, runId: 'syn', now: options.start });
  const world = createHiddenWorld({ seed: options.seed, users: users.length });
  const served: TipServed[] = [];
  const feedback: TipFeedback[] = [];
  const rewards: number[] = [];
  let targetTruth = 0;
  let scored = 0;
  let uniformTruth = 0;
  for (let t = 0; t < options.decisions; t++) {
    const rng = createRng(`${options.seed}:synthetic:${t}`);
    const user = users[rng.int(users.length)] as (typeof users)[number];
    const at = new Date(options.start.getTime() + t * (options.gapMs ?? 60_000));
    const { localHour, localWeekday } = localTime(user.timezone, at);
    const moment = { tod: timeOfDay(localHour), weekend: localWeekday === 0 || localWeekday === 6 };
    const advice = SYNTHETIC_ADVICE.filter((a) => adviceApplies(a, localHour, localWeekday));
    const candidates = [
      ...user.tasks.map((task) => ({ world: taskCandidate(task, at), id: task.id, kind: 'task', taskId: task.id as string | undefined,
        features: taskFeatures({ source: task.source, createdAt: task.createdAt, dueAt: task.dueAt, priority: 5 - task.priority }, at) })),
      ...advice.map((a) => ({ world: adviceCandidate(a), id: a.id, kind: 'advice', taskId: undefined, features: isAdviceKind(a.kind) ? adviceFeatures(a.kind) : [] })),
    ];
    const k = candidates.length;
    const values = candidates.map((c) => world.expectedReward(user.index, c.world, moment));
    const best = values.indexOf(Math.max(...values));
    const target = values.map((_, i) => 0.2 / k + (i === best ? 0.8 : 0));
    const logging = values.map(() => 1 / k);
    const chosen = rng.int(k);
    const pick = candidates[chosen] as (typeof candidates)[number];
    const fallback = options.fallbackEvery !== undefined && t % options.fallbackEvery === 0;
    if (!fallback) {
      targetTruth += target.reduce((s, p, i) => s + p * (values[i] as number), 0);
      scored++;
    }
    uniformTruth += values.reduce((s, v) => s + v, 0) / k;
    const decisionId = `d-${options.seed}-${t}`;
    served.push(
      create(TipServedSchema, {
        decisionId,
        userId: user.name,
        tipId: decisionId,
        tipKind: pick.kind,
        servedAt: timestampFromDate(at),
        policy: fallback ? 'default-uniform' : 'uniform-logger',
        modelVersion: fallback ? '' : 'fl-test/1',
        featureLayout: [...CANDIDATE_FEATURES],
        candidates: candidates.map((c) => ({ candidateId: c.id, kind: c.kind, taskId: c.taskId, features: c.features })),
        probabilities: logging,
        chosenIndex: chosen,
        propensity: logging[chosen],
        shadowPolicies: fallback ? [] : [{ policy: 'truth-greedy', probabilities: target, modelVersion: 'oracle' }],
        fallback,
        fallbackReason: fallback ? 'timeout' : '',
        context: {
          features: [{ name: 'completion_rate_30d', value: { case: 'numberValue', value: 0.4 }, status: ContextFeatureStatus.FRESH }],
          timezone: user.timezone,
          localHour,
          localWeekday: localWeekday === 0 ? 7 : localWeekday,
        },
      }),
    );
    const reaction = world.react(user.index, pick.world, moment, rng);
    rewards.push(world.rewards[reaction]);
    if (reaction !== 'none') {
      feedback.push(
        create(TipFeedbackSchema, {
          decisionId,
          userId: user.name,
          tipId: decisionId,
          reaction: REACTION[reaction],
          reactedAt: timestampFromDate(new Date(at.getTime() + 600_000)),
          dwellMs: 4_000n,
        }),
      );
    }
  }
  return { served, feedback, truth: { target: targetTruth / scored, uniform: uniformTruth / options.decisions }, rewards };
}
