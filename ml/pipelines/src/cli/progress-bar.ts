import { formatCount } from './progress';

/** A bar for one step of known size; `done` ends its line. */
export interface ProgressBar {
  update(completed: number): void;
  done(): void;
}

export interface ProgressBarOptions {
  /** Undefined: only when the stream is a terminal (the same rule as the progress lines). */
  readonly enabled?: boolean;
  readonly stream?: NodeJS.WriteStream;
  readonly width?: number;
  /** Milliseconds between redraws; a redraw per row would cost more than the rows. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/**
 * A progress bar on stderr: redrawn in place on a terminal, one line per tenth when piped
 * (`--progress` in CI logs), nothing at all when disabled.
 *
 * @example
 * const bar = createProgressBar('building rows', tips.length, { enabled: args.progress });
 * tips.forEach((t, i) => { build(t); bar.update(i + 1); });
 * bar.done();
 */
export function createProgressBar(label: string, total: number, options: ProgressBarOptions = {}): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? stream.isTTY === true;
  if (!enabled) return { update: () => undefined, done: () => undefined };
  const inPlace = stream.isTTY === true;
  const width = options.width ?? 30;
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastTenth = -1;
  let completed = 0;
  const line = (): string => {
    const share = total > 0 ? Math.min(1, completed / total) : 1;
    const filled = Math.round(share * width);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)} % ${formatCount(completed)}/${formatCount(total)}`;
  };
  const draw = (): void => {
    if (inPlace) {
      stream.write(`\r${line()}`);
      return;
    }
    const tenth = total > 0 ? Math.floor((completed / total) * 10) : 10;
    if (tenth > lastTenth) {
      lastTenth = tenth;
      stream.write(`${line()}\n`);
    }
  };
  return {
    update(value) {
      completed = value;
      const t = now();
      if (t - lastDraw < interval && completed < total) return;
      lastDraw = t;
      draw();
    },
    done() {
      completed = Math.max(completed, total);
      draw();
      if (inPlace) stream.write('\n');
    },
  };
}
