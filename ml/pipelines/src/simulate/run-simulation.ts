import { createRng, DEFAULT_REWARDS, type Reaction, type RewardValues } from '@oo/bandit';
import { localTime, timeOfDay } from '@oo/decision-features';
import { silentProgress, type ProgressFn } from '../cli/progress';
import { createHiddenWorld, type HiddenWorld, type WorldCandidate } from './hidden-world';
import { learningCurve, summarize, type DecisionRecord, type WindowStats } from './learning-curve';
import { adviceApplies, adviceCandidate, createPopulation, taskCandidate, type AdviceItem, type SimUser } from './sim-population';
import { createServiceClient, type ServiceClient } from './service-client';
import { connectRecommenderSync, type RecommenderSync, type SyncState } from './recommender-sync';
import { keepSessions, type KeptSession, type RefreshFn, type SignInFn } from './user-sessions';

export interface SimulationOptions {
  readonly decisions: number;
  readonly users: number;
  readonly window: number;
  readonly seed: number;
  readonly concurrency?: number;
  readonly recommenderUrl: string;
  readonly profileUrl: string;
  /** Signs a simulated user in under their name (`sim-<run>-u<i>`); `npm run simulate` goes through the gateway. */
  readonly signIn: SignInFn;
  /** Renews a session shortly before its access token expires; without it the user signs in again. */
  readonly refresh?: RefreshFn;
  /** Where tasks are published (NATS_URL, STREAM_PREFIX); not needed when a task feed is injected. */
  readonly nats?: { readonly servers: string | string[]; readonly prefix?: string };
  /** Tags user and task ids; a fresh one (from the clock) keeps runs from sharing users. */
  readonly runId?: string;
  readonly rewards?: RewardValues;
  /** How long to wait for the recommender to apply the preference and task events (default 30 s). */
  readonly syncTimeoutMs?: number;
}

export interface SimulationDeps {
  readonly now?: () => Date;
  readonly progress?: ProgressFn;
  readonly sync?: RecommenderSync;
  readonly fetch?: typeof fetch;
  /** The wall clock the sessions' `expiresAt` is on (default Date.now); `now` may be a simulated one. */
  readonly tokenClock?: () => number;
}

export interface SimulationReport {
  readonly runId: string;
  readonly seed: number;
  readonly users: number;
  readonly decisions: number;
  readonly window: number;
  readonly recommender: string;
  readonly tasks: number;
  readonly adviceItems: number;
  /** Whether the recommender had applied the users' timezones and tasks when the loop began. */
  readonly sync: { readonly preferences: SyncState; readonly tasks: SyncState };
  readonly counts: {
    readonly tips: number;
    readonly noTip: number;
    readonly unknownTips: number;
    readonly unexpectedTips: number;
    readonly feedbackSent: number;
    readonly reactions: Readonly<Record<Reaction, number>>;
  };
  readonly windows: readonly WindowStats[];
  readonly summary: { readonly first: WindowStats; readonly last: WindowStats; readonly overall: WindowStats };
  readonly records: readonly DecisionRecord[];
}

/**
 * Drives the running recommender with simulated users whose reactions come from a seeded hidden
 * world, and reports the learning curve: realised and expected reward of the chosen tips per
 * window, against the oracle and a uniform choice.
 *
 * @example
 * const report = await runSimulation({ decisions: 2000, users: 40, window: 200, seed: 1, recommenderUrl, profileUrl, signIn, refresh, nats: { servers } });
 */
export async function runSimulation(options: SimulationOptions, deps: SimulationDeps = {}): Promise<SimulationReport> {
  const clock = deps.now ?? (() => new Date());
  const progress = deps.progress ?? silentProgress;
  const rewards = options.rewards ?? DEFAULT_REWARDS;
  const runId = options.runId ?? clock().getTime().toString(36);
  const client = createServiceClient({ recommender: options.recommenderUrl, profile: options.profileUrl }, deps.fetch);
  const people = createPopulation({ seed: options.seed, users: options.users, runId, now: clock() });
  const world = createHiddenWorld({ seed: options.seed, users: options.users, rewards });
  const sessions = await keepSessions(people.map((p) => p.name), { signIn: options.signIn, refresh: options.refresh, now: deps.tokenClock });
  // From here on a user is auth's id: in URLs, tokens, task events and the records.
  const users: SimUser[] = people.map((p) => ({ ...p, id: (sessions[p.index] as KeptSession).userId }));
  const tokenOf = (u: SimUser): Promise<string> => (sessions[u.index] as KeptSession).accessToken();
  progress(`run ${runId}: signed in ${users.length} users`);

  const advice = await client.getAdvice(await tokenOf(users[0] as SimUser));
  const sync = deps.sync ?? (await connectRecommenderSync(requireNats(options)));
  let tasks: number;
  const state: { preferences: SyncState; tasks: SyncState } = { preferences: 'timeout', tasks: 'timeout' };
  try {
    // A little before the first PUT, in case this host's clock is ahead of the broker's.
    const setupStart = new Date(Date.now() - 5_000);
    for (let i = 0; i < users.length; i += 8) {
      await Promise.all(users.slice(i, i + 8).map(async (u) => client.putPreferences(await tokenOf(u), u.id, u.timezone)));
    }
    tasks = await sync.publishTasks(users, clock());
    const deadline = Date.now() + (options.syncTimeoutMs ?? 30_000);
    state.preferences = await sync.waitForPreferences(users.map((u) => u.id), setupStart, deadline - Date.now());
    state.tasks = await sync.waitForTasks(Math.max(0, deadline - Date.now()));
  } finally {
    if (!deps.sync) await sync.close();
  }
  progress(`run ${runId}: ${users.length} users, ${tasks} tasks, ${advice.length} advice items; recommender sync: timezones ${state.preferences}, tasks ${state.tasks}`);

  const decide = decisionStep({ options, world, users, advice, client, tokenOf, clock });
  const records: DecisionRecord[] = new Array(options.decisions);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < options.decisions) {
      const index = next++;
      try {
        records[index] = await decide(index);
      } catch (err) {
        failed = true;
        throw err;
      }
      if ((index + 1) % options.window === 0) progress(`decision ${index + 1}/${options.decisions}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));

  const windows = learningCurve(records, options.window);
  const reactions: Record<Reaction, number> = { done: 0, snooze: 0, dismiss: 0, none: 0 };
  for (const r of records) if (r.reaction) reactions[r.reaction]++;
  return {
    runId,
    seed: options.seed,
    users: users.length,
    decisions: records.length,
    window: options.window,
    recommender: options.recommenderUrl,
    tasks,
    adviceItems: advice.length,
    sync: state,
    counts: {
      tips: records.filter((r) => r.outcome !== 'no-tip').length,
      noTip: records.filter((r) => r.outcome === 'no-tip').length,
      unknownTips: records.filter((r) => r.outcome === 'unknown-tip').length,
      unexpectedTips: records.filter((r) => r.unexpected).length,
      feedbackSent: records.filter((r) => r.reaction && r.reaction !== 'none').length,
      reactions,
    },
    windows,
    summary: { first: windows[0] as WindowStats, last: windows[windows.length - 1] as WindowStats, overall: summarize(records) },
    records,
  };
}

function requireNats(options: SimulationOptions): NonNullable<SimulationOptions['nats']> {
  if (!options.nats) throw new Error('runSimulation needs options.nats (or deps.sync) to publish tasks');
  return options.nats;
}

interface StepContext {
  readonly options: SimulationOptions;
  readonly world: HiddenWorld;
  readonly users: readonly SimUser[];
  readonly advice: readonly AdviceItem[];
  readonly client: ServiceClient;
  readonly tokenOf: (u: SimUser) => Promise<string>;
  readonly clock: () => Date;
}

// One decision: a user (by the decision's own seeded stream, so concurrency does not change who
// asks), the candidates they have right now, the tip, its value under the hidden world, a reaction.
function decisionStep(ctx: StepContext): (index: number) => Promise<DecisionRecord> {
  const { world, users, advice, client } = ctx;
  return async (index) => {
    const rng = createRng(`${ctx.options.seed}:decision:${index}`);
    const user = users[rng.int(users.length)] as SimUser;
    const now = ctx.clock();
    const { localHour, localWeekday } = localTime(user.timezone, now);
    const moment = { tod: timeOfDay(localHour), weekend: localWeekday === 0 || localWeekday === 6 };
    const ownTasks = user.tasks.map((t) => taskCandidate(t, now));
    const candidates = [...ownTasks, ...advice.filter((a) => adviceApplies(a, localHour, localWeekday)).map(adviceCandidate)];
    const base = { index, userId: user.id };
    const rec = await client.recommend(await ctx.tokenOf(user));
    if (!rec) return { ...base, outcome: 'no-tip' };
    const fallback = rec.fallback ?? !rec.modelVersion;
    const tipId = rec.tip.taskId ? `task:${rec.tip.taskId}` : rec.tip.id;
    // Advice outside the hours the simulation thinks it applies is still valued (and flagged).
    const chosen: WorldCandidate | undefined = candidates.find((c) => c.id === tipId) ?? advice.map(adviceCandidate).find((c) => c.id === tipId);
    if (!chosen) return { ...base, outcome: 'unknown-tip', fallback, policy: rec.policy };
    const values = candidates.map((c) => world.expectedReward(user.index, c, moment));
    const expected = world.expectedReward(user.index, chosen, moment);
    const reaction = world.react(user.index, chosen, moment, rng);
    if (reaction !== 'none') await client.sendFeedback(await ctx.tokenOf(user), rec.decisionId, reaction);
    return {
      ...base,
      outcome: 'tip',
      fallback,
      policy: rec.policy,
      reaction,
      reward: world.rewards[reaction],
      expected,
      oracle: Math.max(expected, ...values),
      uniform: values.length ? values.reduce((s, v) => s + v, 0) / values.length : expected,
      unexpected: !candidates.includes(chosen),
    };
  };
}
