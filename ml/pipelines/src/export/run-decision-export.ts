import { DEFAULT_REWARDS, type RewardValues } from '@oo/bandit';
import { createDecisionFeaturizer } from '@oo/decision-features';
import { createProgressBar } from '../cli/progress-bar';
import { servedSince, servedTime, type LoggedTip } from '@oo/off-policy';
import { DEFAULT_REWARD_WINDOW_MS, loadDecisionLog, type DecisionSource } from '../ope/run-ope';
import { writeDecisionJsonl, writeDecisionParquet, type ExportFormat } from './decision-export-writers';
import { decisionRow, type DecisionRow } from './decision-row';

export interface DecisionExportOptions {
  readonly source: DecisionSource;
  readonly path: string;
  readonly format: ExportFormat;
  /** Decisions served at or after this time. */
  readonly since?: Date;
  /** Decisions served before this time. */
  readonly until?: Date;
  readonly rewardWindowMs?: number;
  readonly rewards?: RewardValues;
  /** The reading time: silence counts as settled only up to it. Defaults to the current time. */
  readonly now?: Date;
  /** Undefined: a bar only when stderr is a terminal. */
  readonly progress?: boolean;
}

export interface DecisionExportSummary {
  readonly path: string;
  readonly format: ExportFormat;
  readonly rows: number;
  readonly settled: number;
  readonly unsettled: number;
}

/**
 * `npm run stream -- export`: the decision log (stream or raw JSONL) joined with rewards, one row
 * per decision in the order served, written as JSONL or Parquet with a progress bar.
 *
 * @example
 * await runDecisionExport({ source: { kind: 'stream', servers }, path: 'd.parquet', format: 'parquet', since });
 */
export async function runDecisionExport(options: DecisionExportOptions): Promise<DecisionExportSummary> {
  if (options.since && options.until && options.until.getTime() <= options.since.getTime()) {
    throw new RangeError(`--until (${options.until.toISOString()}) must be later than --since (${options.since.toISOString()})`);
  }
  const now = options.now ?? new Date();
  const log = await loadDecisionLog(options.source, options.since, now);
  const tips = servedBefore(servedSince(log.tips, options.since), options.until);
  const featurizer = createDecisionFeaturizer();
  const rowOptions = { now, rewardWindowMs: options.rewardWindowMs ?? DEFAULT_REWARD_WINDOW_MS, rewards: options.rewards ?? DEFAULT_REWARDS, featurizer };
  const building = createProgressBar('joining rewards', tips.length, { enabled: options.progress });
  const rows: DecisionRow[] = tips.map((tip, i) => {
    const row = decisionRow(tip, rowOptions);
    building.update(i + 1);
    return row;
  });
  building.done();
  if (options.format === 'jsonl') {
    const writing = createProgressBar(`writing ${options.path}`, rows.length, { enabled: options.progress });
    await writeDecisionJsonl(options.path, rows, (n) => writing.update(n));
    writing.done();
  } else {
    writeDecisionParquet(options.path, rows, {
      since: options.since ?? null,
      until: options.until ?? null,
      observedAt: now,
      rewardWindowMs: rowOptions.rewardWindowMs,
      rewards: rowOptions.rewards,
    });
  }
  const settled = rows.filter((r) => r.settled).length;
  return { path: options.path, format: options.format, rows: rows.length, settled, unsettled: rows.length - settled };
}

function servedBefore(tips: LoggedTip[], until: Date | undefined): LoggedTip[] {
  if (!until) return tips;
  return tips.filter((t) => (servedTime(t.served)?.getTime() ?? Number.POSITIVE_INFINITY) < until.getTime());
}
