import { useId } from 'react';

/** One row: a label, its estimate and interval. */
export interface IntervalRow {
  label: string;
  value: number;
  lower: number;
  upper: number;
}

const W = 640;
const ROW = 34;
const PAD = { left: 150, right: 24, top: 12, bottom: 30 };

/**
 * Estimates with their intervals, one row each: a bar from lower to upper and a dot at the value,
 * on a shared axis, so overlapping intervals are seen at a glance.
 *
 * @example
 * <IntervalChart title="Estimated reward per policy" rows={[{ label: 'live', value: 0.5, lower: 0.4, upper: 0.6 }]} />
 */
export function IntervalChart({ title, rows }: { title: string; rows: readonly IntervalRow[] }) {
  const titleId = useId();
  const descId = useId();
  const H = PAD.top + PAD.bottom + rows.length * ROW;
  const lo = Math.min(0, ...rows.map((r) => r.lower));
  const hi = Math.max(1, ...rows.map((r) => r.upper));
  const sx = (v: number) => PAD.left + ((v - lo) / (hi - lo)) * (W - PAD.left - PAD.right);
  const axis = [lo, lo + (hi - lo) / 2, hi];
  const summary = rows.map((r) => `${r.label} ${r.value.toFixed(3)} (${r.lower.toFixed(3)} to ${r.upper.toFixed(3)})`).join('; ');
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
      <title id={titleId}>{title}</title>
      <desc id={descId}>{summary}</desc>
      {axis.map((v) => (
        <g key={v}>
          <line x1={sx(v)} x2={sx(v)} y1={PAD.top} y2={H - PAD.bottom} className="grid" />
          <text x={sx(v)} y={H - PAD.bottom + 18} textAnchor="middle">{v.toFixed(2)}</text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = PAD.top + i * ROW + ROW / 2;
        return (
          <g key={r.label}>
            <text x={PAD.left - 8} y={y + 4} textAnchor="end">{r.label}</text>
            <line x1={sx(r.lower)} x2={sx(r.upper)} y1={y} y2={y} className="interval" />
            <circle cx={sx(r.value)} cy={y} r={5} className="series-point" />
          </g>
        );
      })}
    </svg>
  );
}
