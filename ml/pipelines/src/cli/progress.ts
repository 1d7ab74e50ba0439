/** Writes a progress line somewhere a person is watching; a no-op otherwise. */
export type ProgressFn = (message: string) => void;

export const silentProgress: ProgressFn = () => undefined;

/**
 * Progress on stderr when asked (`--progress`) or, left unset, when stderr is a terminal, so
 * piped and CI runs stay quiet and machine output on stdout stays clean.
 *
 * @example
 * const progress = stderrProgress(args.progress);
 * progress('read 5,000 events');
 */
export function stderrProgress(requested: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): ProgressFn {
  const enabled = requested ?? stream.isTTY === true;
  return enabled ? (message) => void stream.write(`${message}\n`) : silentProgress;
}

/** 12345 → "12,345", the same on every machine. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
