import type { RewardValues } from '@oo/bandit';
import { evaluateDecisionLog as evaluateLoadedLog, servedSince, type DecisionLog, type OpeReport } from '@oo/off-policy';
import { silentProgress, type ProgressFn } from '../cli/progress';
import { readDecisionLogFile, writeDecisionLogFile } from '../decision-log/decision-log-jsonl';
import { readDecisionLogFromStream, type StreamSource } from '../decision-log/stream-reader';

export { DEFAULT_REWARD_WINDOW_MS, type OpeReport } from '@oo/off-policy';

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
  return evaluateLoadedLog(log, { ...options, sourceLabel: describeSource(options.source) });
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
