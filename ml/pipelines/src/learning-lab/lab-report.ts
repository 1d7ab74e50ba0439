import type { LabFamily } from './lab-families';
import type { LabResult, LabStretch } from './lab-run';

/** One family under one learner over several seeds. */
export interface LabRow {
  readonly learner: string;
  readonly family: LabFamily;
  readonly seeds: readonly number[];
  readonly results: readonly LabResult[];
}

const ratio = (s: LabStretch): number => (s.oracle === 0 ? 0 : s.chosen / s.oracle);

/** Mean and range of a list of ratios, as `0.853 [0.841–0.866]`. */
function spread(values: readonly number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `${mean.toFixed(3)} [${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}]`;
}

/** The share of the oracle's expected reward in the middle and last thirds, per family, with the spread over seeds. */
export function formatLabReport(rows: readonly LabRow[], targets: { middle: number; last: number }): string {
  const lines = [
    `share of the oracle's expected reward (mean [min–max] over seeds); targets: middle third ≥ ${targets.middle}, last third ≥ ${targets.last}`,
    '',
    `${'learner'.padEnd(22)} ${'family'.padEnd(13)} ${'middle third'.padEnd(22)} ${'last third'.padEnd(22)} ${'uniform (last)'.padEnd(22)} last third by person type`,
  ];
  for (const row of rows) {
    const middle = row.results.map((r) => ratio(r.thirds[1]));
    const last = row.results.map((r) => ratio(r.thirds[2]));
    const uniform = row.results.map((r) => r.thirds[2].uniform / r.thirds[2].oracle);
    const types = new Map<number, number[]>();
    for (const r of row.results) for (const [type, s] of r.lastThirdByType) types.set(type, [...(types.get(type) ?? []), ratio(s)]);
    const byType = [...types.entries()].sort(([a], [b]) => a - b).map(([type, v]) => `${type}: ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2)}`);
    const met = Math.min(...middle) >= targets.middle && Math.min(...last) >= targets.last ? '' : '  (below target)';
    lines.push(`${row.learner.padEnd(22)} ${row.family.name.padEnd(13)} ${spread(middle).padEnd(22)} ${spread(last).padEnd(22)} ${spread(uniform).padEnd(22)} ${byType.join(', ')}${met}`);
  }
  return `${lines.join('\n')}\n`;
}
