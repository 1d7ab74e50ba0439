import { DEFAULT_REWARDS, type Reaction, type RewardValues } from '@oo/bandit';
import { silentProgress, type ProgressFn } from '../cli/progress';
import { servedSince, type DecisionLog, type LoggedTip } from '../decision-log/decision-log';
import { readDecisionLogFile, writeDecisionLogFile } from '../decision-log/decision-log-jsonl';
import { settleDecisions } from '../decision-log/reward-join';
import { readDecisionLogFromStream, type StreamSource } from '../decision-log/stream-reader';
import { evaluateDecisions, isUsable, type PolicyRow } from './policy-evaluation';

export type DecisionSource = ({ readonly kind: 'stream' } & Omit<StreamSource, 'since'>) | { readonly kind: 'file'; readonly path: string };

export interface OpeOptions {
  readonly source: DecisionSource;
  readonly since?: Date;
  readonly rewardWindowMs?: number;
  readonly rewards?: RewardValues;
  readonly seed?: number;
  readonly resamples?: number;
  /** Defaults to the current time; decisions younger than the window without a reaction are unsettled. */
  readonly now?: Date;
  readonly progress?: ProgressFn;
}

export interface OpeReport {
  readonly source: string;
  readonly since: string | null;
  readonly generatedAt: string;
  readonly rewardWindowMs: number;
  readonly rewards: RewardValues;
  readonly seed: number;
  readonly resamples: number;
  readonly decisions: {
    /** Decisions in the log (served at or after `since`). */
    readonly total: number;
    readonly settled: number;
    readonly unsettled: number;
    readonly fallback: number;
    /** Settled decisions whose logged probabilities are unusable (length mismatch, propensity 0). */
    readonly invalid: number;
    readonly untimed: number;
  };
  readonly reactions: Readonly<Record<Reaction, number>>;
  readonly feedback: { readonly orphan: number; readonly late: number; readonly unknownReaction: number; readonly undecodableEvents: number };
  readonly policies: readonly PolicyRow[];
}

export const DEFAULT_REWARD_WINDOW_MS = 24 * 3_600_000;

/**
 * Reads a decision log from JetStream or a JSONL file (see `loadDecisionLog`).
 *
 * @example
 * const log = await loadDecisionLog({ kind: 'file', path: 'decisions.jsonl' }, undefined, new Date());
 */
export async function loadDecisionLog(
  source: DecisionSource,
  since: Date | undefined,
  now: Date,
  progress: ProgressFn = silentProgress,
): Promise<DecisionLog & { undecodable: number }> {
  if (source.kind === 'stream') return readDecisionLogFromStream({ ...source, since }, progress);
  const tips = await readDecisionLogFile(source.path, now, (n) => {
    if (n % 5_000 === 0) progress(`read ${n} decisions`);
  });
  return { tips, orphanFeedback: 0, duplicateServed: 0, undecodable: 0 };
}

/**
 * Off-policy evaluation of the logged decisions: settles rewards, then estimates every policy.
 *
 * @example
 * const report = await runOpe({ source: { kind: 'stream', servers: 'nats://127.0.0.1:4222' }, since: new Date(Date.now() - 7 * 86_400_000) });
 */
export async function runOpe(options: OpeOptions): Promise<OpeReport> {
  const now = options.now ?? new Date();
  const progress = options.progress ?? silentProgress;
  const log = await loadDecisionLog(options.source, options.since, now, progress);
  return evaluateDecisionLog(log, { ...options, now });
}

/** The evaluation of an already loaded log (what `runOpe` does after reading). */
export function evaluateDecisionLog(log: DecisionLog & { undecodable?: number }, options: Omit<OpeOptions, 'source'> & { source?: DecisionSource }): OpeReport {
  const now = options.now ?? new Date();
  const rewardWindowMs = options.rewardWindowMs ?? DEFAULT_REWARD_WINDOW_MS;
  const rewards = options.rewards ?? DEFAULT_REWARDS;
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? 1_000;
  const tips: LoggedTip[] = servedSince(log.tips, options.since);
  const settlement = settleDecisions(tips, { now, rewardWindowMs, rewards });
  const usable = settlement.settled.filter((d) => isUsable(d.served));
  const reactions: Record<Reaction, number> = { done: 0, snooze: 0, dismiss: 0, none: 0 };
  for (const d of settlement.settled) reactions[d.reaction]++;
  return {
    source: describeSource(options.source),
    since: options.since?.toISOString() ?? null,
    generatedAt: now.toISOString(),
    rewardWindowMs,
    rewards,
    seed,
    resamples,
    decisions: {
      total: tips.length,
      settled: settlement.settled.length,
      unsettled: settlement.unsettled,
      fallback: settlement.settled.filter((d) => d.served.fallback).length,
      invalid: settlement.settled.length - usable.length,
      untimed: settlement.untimed,
    },
    reactions,
    feedback: {
      orphan: log.orphanFeedback,
      late: settlement.lateFeedback,
      unknownReaction: settlement.unknownReactions,
      undecodableEvents: log.undecodable ?? 0,
    },
    policies: usable.length > 0 ? evaluateDecisions(usable, { seed, resamples, progress: options.progress }) : [],
  };
}

/**
 * Writes the joined log (served at or after `since`) as JSONL; returns how many decisions.
 *
 * @example
 * const count = await runExport({ kind: 'stream', servers }, 'decisions.jsonl', { since });
 */
export async function runExport(source: DecisionSource, path: string, options: { since?: Date; now?: Date; progress?: ProgressFn } = {}): Promise<number> {
  const log = await loadDecisionLog(source, options.since, options.now ?? new Date(), options.progress);
  return writeDecisionLogFile(path, servedSince(log.tips, options.since));
}

function describeSource(source: DecisionSource | undefined): string {
  if (!source) return 'memory';
  return source.kind === 'file' ? `file ${source.path}` : `stream ${source.prefix ? `${source.prefix}_` : ''}SIGNALS`;
}
