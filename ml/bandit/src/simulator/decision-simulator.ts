import { BanditError, assertArgument } from '../errors/bandit-error';
import { createRng, type SeededRng } from '../random/seeded-rng';
import {
  DEFAULT_SIMULATOR_CONFIG,
  type Reaction,
  type SimCandidate,
  type SimDecision,
  type SimOutcome,
  type SimulatorConfig,
} from './simulation-types';
import {
  ADVICE_KINDS,
  CANDIDATE_FEATURES,
  CONTEXT_FEATURES,
  KINDS,
  TASK_KINDS,
  TIMES_OF_DAY,
  createWorld,
  reactionModel,
  timeOfDay,
  utility,
  type HiddenWorld,
} from './user-population';

// Math's functions as module constants: under jest (a vm context) every lookup of the global
// `Math` goes through an interceptor and costs ~100× a local read.
const { exp, floor, log, round } = Math;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A seeded world of users with hidden preferences (time of day × kind × overdue × priority,
 * plus personal deviations) who receive tips and react later, noisily, or not at all.
 *
 * The stream of decisions depends only on the seed, never on the choices made, and each
 * decision's reaction uses random numbers fixed by the seed and the decision's index. So
 * two policies run on the same seed meet the same users, contexts and candidates and the same
 * luck: their difference is the policies' alone.
 *
 * @example
 * const sim = new DecisionSimulator({ seed: 1 });
 * const decision = sim.nextDecision();
 * sim.act(decision, 3);
 * sim.takeDue(); // outcomes whose time has come
 */
export class DecisionSimulator {
  readonly config: SimulatorConfig;
  readonly candidateFeatures = CANDIDATE_FEATURES;
  readonly contextFeatures = CONTEXT_FEATURES;
  private readonly world: HiddenWorld;
  private stream: SeededRng;
  private pending: SimOutcome[] = [];
  private acted = new Set<string>();
  private clock: number;
  private count = 0;

  constructor(config: Partial<SimulatorConfig> & Pick<SimulatorConfig, 'seed'>) {
    this.config = Object.freeze({ ...DEFAULT_SIMULATOR_CONFIG, ...config });
    const c = this.config;
    assertArgument(c.users >= 1, 'the simulator needs at least one user');
    assertArgument(c.minCandidates >= 1 && c.maxCandidates >= c.minCandidates, 'candidate range is invalid');
    this.world = createWorld(c, createRng(`${c.seed}:world`));
    this.stream = createRng(`${c.seed}:stream`);
    this.clock = c.startTime;
  }

  /** An independent copy at the same point: same future decisions, same pending outcomes. */
  clone(): DecisionSimulator {
    const copy = Object.create(DecisionSimulator.prototype) as DecisionSimulator;
    Object.assign(copy, this);
    copy.stream = this.stream.clone();
    copy.pending = [...this.pending];
    copy.acted = new Set(this.acted);
    return copy;
  }

  /** The simulated time of the latest decision. */
  get now(): number {
    return this.clock;
  }

  /** Ids of the simulated users. */
  get userIds(): string[] {
    return this.world.users.map((u) => u.id);
  }

  /** Advances the clock and draws the next user, context and candidates, with the hidden truth. */
  nextDecision(): SimDecision {
    const rng = this.stream;
    const index = this.count++;
    this.clock += round(-log(1 - rng.float()) * this.config.meanGapMinutes * 60_000);
    const user = this.world.users[rng.int(this.world.users.length)];
    if (user === undefined) throw new BanditError('BANDIT_INVALID_STATE', 'no simulated user');
    const local = this.clock + user.utcOffsetHours * HOUR_MS;
    const localHour = floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
    // 1970-01-01 was a Thursday: day 0 → Thursday, so days 2 and 3 of each week are Sat and Sun.
    const weekday = floor(local / DAY_MS) % 7;
    const weekend = weekday === 2 || weekday === 3;
    const tod = timeOfDay(localHour);
    const context = [...TIMES_OF_DAY.map((_, i) => (i === tod ? 1 : 0)), weekend ? 1 : 0];
    const c = this.config;
    const k = c.minCandidates + rng.int(c.maxCandidates - c.minCandidates + 1);
    const candidates = Array.from({ length: k }, (_, j) => this.drawCandidate(rng, `${index}-${j}`));
    const expectedRewards = candidates.map(
      (cand) => reactionModel(c, utility(this.world, user, cand.features, tod, weekend)).expected,
    );
    let oracleIndex = 0;
    expectedRewards.forEach((r, j) => {
      if (r > (expectedRewards[oracleIndex] as number)) oracleIndex = j;
    });
    return {
      id: `sim-${String(c.seed)}-${index}`,
      index,
      userId: user.id,
      time: this.clock,
      localHour,
      context,
      candidates,
      expectedRewards,
      oracleIndex,
      oracleReward: expectedRewards[oracleIndex] as number,
    };
  }

  /** Serves candidate `chosen` of a decision; its reaction (or silence) is scheduled for later. */
  act(decision: SimDecision, chosen: number): void {
    assertArgument(chosen >= 0 && chosen < decision.candidates.length, 'chosen index out of range');
    assertArgument(!this.acted.has(decision.id), `decision ${decision.id} was already acted on`);
    this.acted.add(decision.id);
    const c = this.config;
    const user = this.world.users.find((u) => u.id === decision.userId);
    const candidate = decision.candidates[chosen];
    if (user === undefined || candidate === undefined) throw new BanditError('BANDIT_INVALID_STATE', 'unknown decision');
    // Fixed per decision, whatever is chosen: common random numbers across policies.
    const luck = createRng(`${c.seed}:react:${decision.index}`);
    const [uIgnore, uDone, uSnooze, uDelay] = [luck.float(), luck.float(), luck.float(), luck.float()];
    const weekend = decision.context[4] === 1;
    const u = utility(this.world, user, candidate.features, timeOfDay(decision.localHour), weekend);
    const delay = -log(1 - uDelay) * c.meanReactionMinutes * 60_000;
    let reaction: Reaction = 'none';
    if (uIgnore >= c.ignoreRate && delay <= c.rewardWindowMs) {
      if (uDone < 1 / (1 + exp(-u))) reaction = 'done';
      else reaction = uSnooze < c.snoozeShare ? 'snooze' : 'dismiss';
    }
    const at = decision.time + (reaction === 'none' ? c.rewardWindowMs : round(delay));
    this.schedule({ decisionId: decision.id, userId: decision.userId, chosen, reaction, reward: c.rewards[reaction], decisionTime: decision.time, at });
  }

  /** Outcomes due by `now` (default: the latest decision's time), oldest first; removes them. */
  takeDue(now = this.clock): SimOutcome[] {
    let split = 0;
    while (split < this.pending.length && (this.pending[split] as SimOutcome).at <= now) split++;
    return this.pending.splice(0, split);
  }

  /** Every outcome still pending, as if the reward window had passed for all. */
  drain(): SimOutcome[] {
    return this.pending.splice(0, this.pending.length);
  }

  private schedule(outcome: SimOutcome): void {
    // Binary search for the insertion point keeps `pending` sorted by arrival time.
    let lo = 0;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.pending[mid] as SimOutcome).at <= outcome.at) lo = mid + 1;
      else hi = mid;
    }
    this.pending.splice(lo, 0, outcome);
  }

  private drawCandidate(rng: SeededRng, id: string): SimCandidate {
    const features = new Array<number>(CANDIDATE_FEATURES.length).fill(0);
    const isTask = rng.float() < this.config.taskShare;
    const kind = isTask ? (TASK_KINDS[rng.int(TASK_KINDS.length)] as string) : (ADVICE_KINDS[rng.int(ADVICE_KINDS.length)] as string);
    features[KINDS.indexOf(kind as (typeof KINDS)[number])] = 1;
    const overdue = rng.float() < 0.3;
    const priority = rng.int(4) / 3;
    const age = rng.float();
    const dueSoon = rng.float() < 0.3;
    if (isTask) {
      features[KINDS.length] = overdue ? 1 : 0;
      features[KINDS.length + 1] = priority;
      features[KINDS.length + 2] = age;
      features[KINDS.length + 3] = !overdue && dueSoon ? 1 : 0;
    }
    return { id: `${isTask ? 'task' : 'advice'}-${id}`, kind, features };
  }
}
