import type { Estimate } from '@oo/bandit';
import { formatDuration } from '../cli/cli-args';
import { formatCount } from '../cli/progress';
import type { PolicyRow } from '@oo/off-policy';
import type { OpeReport } from './run-ope';

const f3 = (x: number): string => x.toFixed(3);
const interval = (e: Estimate): string => `${f3(e.value)} [${f3(e.lower)}, ${f3(e.upper)}]`;

function row(p: PolicyRow): string[] {
  const label = p.role === 'live' || p.role === 'fallback' ? `${p.label}${p.names.length ? ` (${p.names.join(', ')})` : ''}` : p.label;
  const skipped = p.skipped > 0 ? ` (+${p.skipped} skipped)` : '';
  if (!p.evaluation) return [label, `0${skipped}`, '-', '-', '-', '-', '-'];
  const e = p.evaluation;
  return [label, `${formatCount(p.n)}${skipped}`, e.effectiveSampleSize.toFixed(0), interval(e.ips), interval(e.snips), interval(e.dr), f3(p.loggedMean ?? 0)];
}

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

/**
 * The report as a person reads it on a terminal: what was read, then one row per policy.
 *
 * @example
 * process.stdout.write(formatOpeReport(report));
 */
export function formatOpeReport(report: OpeReport): string {
  const d = report.decisions;
  const r = report.reactions;
  const w = report.rewards;
  const lines = [
    `Decision log: ${report.source}${report.since ? ` since ${report.since}` : ''}; reward window ${formatDuration(report.rewardWindowMs)}; rewards done ${w.done} / snooze ${w.snooze} / dismiss ${w.dismiss} / no reaction ${w.none}`,
  ];
  if (d.total === 0) {
    lines.push('No decisions in the log: nothing to evaluate.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `${formatCount(d.total)} decisions: ${formatCount(d.settled)} settled (done ${formatCount(r.done)}, snooze ${formatCount(r.snooze)}, dismiss ${formatCount(r.dismiss)}, no reaction ${formatCount(r.none)}), ` +
      `${formatCount(d.unsettled)} unsettled (younger than the window, no reaction yet), ${formatCount(d.fallback)} settled by the fallback policy`,
  );
  const oddities = [
    d.invalid && `${formatCount(d.invalid)} with unusable probabilities`,
    d.untimed && `${formatCount(d.untimed)} without served_at`,
    report.feedback.orphan && `${formatCount(report.feedback.orphan)} feedback events without their decision`,
    report.feedback.late && `${formatCount(report.feedback.late)} decisions with feedback only after the window`,
    report.feedback.unknownReaction && `${formatCount(report.feedback.unknownReaction)} feedback events with an unknown reaction`,
    report.feedback.undecodableEvents && `${formatCount(report.feedback.undecodableEvents)} undecodable events`,
  ].filter(Boolean);
  if (oddities.length) lines.push(`Left out: ${oddities.join('; ')}.`);
  if (report.policies.length === 0) {
    lines.push('No settled decision with usable probabilities: nothing to evaluate yet.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('', table([['policy', 'n', 'ESS', 'IPS', 'SNIPS', 'DR', 'logged'], ...report.policies.map(row)]), '');
  lines.push(
    `Average reward per decision, 95 % percentile bootstrap intervals (${report.resamples} resamples, seed ${report.seed}).`,
    'live: the served policy on its own non-fallback decisions (on-policy; IPS = the logged mean). fallback: the local',
    'default policy on the decisions it chose, reported apart because the live policy gave no probabilities there.',
    'shadow and uniform rows use every decision they scored, whichever policy chose it; "logged" is what those decisions earned.',
  );
  return `${lines.join('\n')}\n`;
}
