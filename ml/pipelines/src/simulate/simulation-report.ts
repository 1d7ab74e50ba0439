import { formatCount } from '../cli/progress';
import type { WindowStats } from './learning-curve';
import type { SimulationReport } from './run-simulation';

const num = (x: number | null): string => (x === null ? '-' : x.toFixed(3));
const pct = (x: number | null): string => (x === null ? '-' : `${Math.round(x * 100)} %`);

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

const windowRow = (w: WindowStats): string[] => [
  `${w.from}–${w.to}`,
  String(w.tips),
  num(w.realized),
  num(w.expected),
  num(w.oracle),
  num(w.uniform),
  pct(w.gapClosed),
  pct(w.fallbackShare),
];

/**
 * The learning curve and summary as a person reads them.
 *
 * @example
 * process.stdout.write(formatSimulationReport(report));
 */
export function formatSimulationReport(report: SimulationReport): string {
  const c = report.counts;
  const { first, last, overall } = report.summary;
  const lines = [
    `Simulated ${formatCount(report.decisions)} decisions for ${report.users} users against ${report.recommender} (run ${report.runId}, seed ${report.seed}).`,
    `${formatCount(report.tasks)} tasks, ${report.adviceItems} advice items; recommender sync before the first decision: timezones ${report.sync.preferences}, tasks ${report.sync.tasks}.`,
    `${formatCount(c.tips)} tips, ${formatCount(c.noTip)} without a tip (204), ${formatCount(c.unknownTips)} for candidates the simulation does not know, ` +
      `${formatCount(c.unexpectedTips)} outside the candidates it expected.`,
    `Reactions: done ${formatCount(c.reactions.done)}, snooze ${formatCount(c.reactions.snooze)}, dismiss ${formatCount(c.reactions.dismiss)}, none ${formatCount(c.reactions.none)}.`,
    '',
    table([['decisions', 'tips', 'realized', 'expected', 'oracle', 'uniform', 'gap closed', 'fallback'], ...report.windows.map(windowRow)]),
    '',
    `first window: expected ${num(first.expected)} (${pct(first.gapClosed)} of the uniform→oracle gap); last window: ${num(last.expected)} (${pct(last.gapClosed)}); ` +
      `overall ${num(overall.expected)}; uniform ${num(overall.uniform)}; oracle ${num(overall.oracle)}.`,
    'expected: E[reward] of the chosen tips under the hidden world; realized: the sampled reactions; oracle: the best candidate each time;',
    'uniform: the mean over the candidates; gap closed: (expected − uniform) / (oracle − uniform).',
  ];
  return `${lines.join('\n')}\n`;
}
