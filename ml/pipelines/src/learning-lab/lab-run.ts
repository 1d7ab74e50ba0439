import {
  chooseIndex,
  createModel,
  createRng,
  DEFAULT_REWARDS,
  scorePolicies,
  updateModel,
  type ModelConfig,
  type PolicySpec,
  type Reaction,
  type RewardValues,
} from '@oo/bandit';
import { CANDIDATE_FEATURES, createDecisionFeaturizer, type DecisionContextInput } from '@oo/decision-features';
import type { LabFamily } from './lab-families';
import { createPeople, drawTask, localMoment, optionsFor, type LabPerson } from './lab-people';

/** How the system learns in a run: the model's configuration and the live policy, as ml-serving and the recommender would hold them. */
export interface LabLearner {
  readonly name: string;
  readonly model: Partial<ModelConfig>;
  readonly policy: PolicySpec;
}

export interface LabRunOptions {
  readonly family: LabFamily;
  readonly seed: number;
  readonly users: number;
  readonly decisions: number;
  readonly learner: LabLearner;
  readonly rewards?: RewardValues;
}

/** Expected reward of what the policy chose, of the best choice and of a uniform one, summed over a stretch of decisions. */
export interface LabStretch {
  readonly chosen: number;
  readonly oracle: number;
  readonly uniform: number;
  readonly decisions: number;
}

export interface LabResult {
  /** First, middle and last third of the run. */
  readonly thirds: readonly [LabStretch, LabStretch, LabStretch];
  /** The last third per person type of the family. */
  readonly lastThirdByType: ReadonlyMap<number, LabStretch>;
}

// Of the tips not done: snoozed, dismissed or left alone, as in the services' simulation.
const NOT_DONE = { snooze: 0.35, dismiss: 0.4 };
const REACTION_MEAN_MS = 60 * 60_000;
const WINDOW_MS = 24 * 3_600_000;
// Each person is asked about every two hours of simulated time, whatever the population size.
const GAP_PER_PERSON_MS = 2 * 3_600_000;
const START = new Date('2026-06-01T00:00:00Z');
const { exp, log } = Math;

interface PendingReward {
  readonly at: number;
  readonly userId: string;
  readonly features: Float64Array;
  readonly reward: number;
}

const emptyStretch = (): { chosen: number; oracle: number; uniform: number; decisions: number } => ({ chosen: 0, oracle: 0, uniform: 0, decisions: 0 });

/**
 * Runs one population family against one learner, entirely in process: the production
 * featurizer, model and policy code, rewards learned only when they arrive (exponential delay,
 * a 24-hour window), a done task leaving the list and a new one arriving. Deterministic in the
 * options.
 *
 * @example
 * const result = runLab({ family: labFamily('mix'), seed: 1, users: 60, decisions: 3000, learner });
 */
export function runLab(options: LabRunOptions): LabResult {
  const { family, learner } = options;
  const rewards = options.rewards ?? DEFAULT_REWARDS;
  const root = createRng(`lab-${family.name}-${options.seed}`);
  const people = createPeople(family, options.users, root.fork('people'), START);
  const featurizer = createDecisionFeaturizer();
  const model = createModel(featurizer.builder.layout, learner.model);
  const pending: PendingReward[] = [];
  const thirds = [emptyStretch(), emptyStretch(), emptyStretch()] as const;
  const byType = new Map<number, ReturnType<typeof emptyStretch>>();
  const otherReward = NOT_DONE.snooze * rewards.snooze + NOT_DONE.dismiss * rewards.dismiss + (1 - NOT_DONE.snooze - NOT_DONE.dismiss) * rewards.none;
  const schedule = root.fork('schedule');
  let clock = START.getTime();

  for (let i = 0; i < options.decisions; i++) {
    clock += -log(1 - schedule.float()) * (GAP_PER_PERSON_MS / people.length);
    learnArrived(model, pending, clock);
    const person = people[schedule.int(people.length)] as LabPerson;
    const now = new Date(clock);
    const local = localMoment(person, now);
    const moment = { localHour: local.localHour, weekend: local.localWeekday === 0 || local.localWeekday === 6 };
    const offered = optionsFor(person, now);
    const xs = featurizer.vectors(CANDIDATE_FEATURES, offered.map((o) => o.features), contextOf(person, local));
    const decisionId = `${options.seed}-${i}`;
    const [live] = scorePolicies(model, [learner.policy], { userId: person.id, candidates: xs, rng: createRng(decisionId) });
    const { index } = chooseIndex((live as { probabilities: number[] }).probabilities, `${decisionId}/choice`);
    const pDone = offered.map((o) => 1 / (1 + exp(-family.logit(person.taste, o.facts, moment))));
    const expected = pDone.map((p) => p * rewards.done + (1 - p) * otherReward);
    const stretch = thirds[Math.min(2, Math.floor((3 * i) / options.decisions))] as ReturnType<typeof emptyStretch>;
    for (const s of i >= (2 * options.decisions) / 3 ? [stretch, typeStretch(byType, person.taste.type)] : [stretch]) {
      s.chosen += expected[index] as number;
      s.oracle += Math.max(...expected);
      s.uniform += expected.reduce((a, b) => a + b, 0) / expected.length;
      s.decisions += 1;
    }
    const luck = createRng(`${decisionId}/luck`);
    const reaction = react(pDone[index] as number, luck);
    person.served += 1;
    if (reaction === 'done') person.done += 1;
    if (reaction === 'dismiss') person.dismissed += 1;
    const delay = reaction === 'none' ? WINDOW_MS : Math.min(WINDOW_MS, -log(1 - luck.float()) * REACTION_MEAN_MS);
    pending.push({ at: clock + delay, userId: person.id, features: xs[index] as Float64Array, reward: rewards[reaction] });
    const taskId = offered[index]?.taskId;
    if (reaction === 'done' && taskId) replaceTask(person, taskId, luck, now);
  }
  return { thirds, lastThirdByType: byType };
}

function typeStretch(byType: Map<number, ReturnType<typeof emptyStretch>>, type: number): ReturnType<typeof emptyStretch> {
  const found = byType.get(type) ?? emptyStretch();
  byType.set(type, found);
  return found;
}

function learnArrived(model: ReturnType<typeof createModel>, pending: PendingReward[], clock: number): void {
  let kept = 0;
  for (const p of pending) {
    if (p.at <= clock) updateModel(model, { userId: p.userId, features: p.features, reward: p.reward });
    else pending[kept++] = p;
  }
  pending.length = kept;
}

function react(pDone: number, luck: ReturnType<typeof createRng>): Reaction {
  if (luck.float() < pDone) return 'done';
  const v = luck.float();
  return v < NOT_DONE.snooze ? 'snooze' : v < NOT_DONE.snooze + NOT_DONE.dismiss ? 'dismiss' : 'none';
}

// What the profile would answer: the person's own rates so far.
function contextOf(person: LabPerson, local: { localHour: number; localWeekday: number }): DecisionContextInput {
  const rate = (n: number) => (person.served === 0 ? 0 : n / person.served);
  const status = person.served === 0 ? ('fallback' as const) : ('fresh' as const);
  return {
    timezone: 'UTC',
    ...local,
    features: [
      { name: 'completion_rate_30d', value: rate(person.done), status },
      { name: 'dismiss_rate_30d', value: rate(person.dismissed), status },
      { name: 'tip_volume_30d', value: person.served, status },
    ],
  };
}

function replaceTask(person: LabPerson, taskId: string, rng: ReturnType<typeof createRng>, now: Date): void {
  person.tasks = person.tasks.filter((t) => t.id !== taskId);
  person.tasks.push(drawTask(person, rng, now, 0));
}
