import { useId } from 'react';

/** One point of a series: x is a time in ms, y a value in [yMin, yMax]. */
export interface Point {
  x: number;
  y: number;
}

const W = 640;
const H = 260;
const PAD = { left: 48, right: 16, top: 16, bottom: 36 };

const ticks = (min: number, max: number, count: number) => Array.from({ length: count + 1 }, (_, i) => min + ((max - min) * i) / count);

/**
 * A line chart in SVG that scales with its box: axes with a few ticks, the line and its points.
 * The title and the summary are read out by screen readers (the numbers sit in a table beside it).
 *
 * @example
 * <LineChart title="Reward per hour" summary="From 0.2 to 0.6" points={[{ x: Date.now(), y: 0.4 }]} yMax={1} xLabel={(x) => new Date(x).toLocaleTimeString()} />
 */
export function LineChart({ title, summary, points, yMin = 0, yMax = 1, xLabel }: { title: string; summary: string; points: readonly Point[]; yMin?: number; yMax?: number; xLabel: (x: number) => string }) {
  const titleId = useId();
  const descId = useId();
  const xs = points.map((p) => p.x);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const sx = (x: number) => PAD.left + (xMax === xMin ? (W - PAD.left - PAD.right) / 2 : ((x - xMin) / (xMax - xMin)) * (W - PAD.left - PAD.right));
  const sy = (y: number) => H - PAD.bottom - ((y - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  // Three labels at most: they must stay readable when the chart is scaled down to a phone.
  const xTicks = xMax === xMin ? [xMin] : ticks(xMin, xMax, Math.min(2, points.length - 1));
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
      <title id={titleId}>{title}</title>
      <desc id={descId}>{summary}</desc>
      {ticks(yMin, yMax, 4).map((y) => (
        <g key={`y${y}`}>
          <line x1={PAD.left} x2={W - PAD.right} y1={sy(y)} y2={sy(y)} className="grid" />
          <text x={PAD.left - 6} y={sy(y) + 4} textAnchor="end">{y.toFixed(2)}</text>
        </g>
      ))}
      {xTicks.map((x) => (
        <text key={`x${x}`} x={sx(x)} y={H - PAD.bottom + 18} textAnchor="middle">{xLabel(x)}</text>
      ))}
      <path d={path} className="series" />
      {points.map((p) => <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r={3.5} className="series-point" />)}
    </svg>
  );
}
