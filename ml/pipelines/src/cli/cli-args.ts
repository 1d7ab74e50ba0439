import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_REWARDS, type Reaction, type RewardValues } from '@oo/bandit';

/** A mistake in the command line: the CLI prints the message and the usage, and exits with code 2. */
export class UsageError extends Error {
  readonly code = 'PIPELINES_USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs in strict mode, with its errors turned into UsageErrors.
 *
 * @example
 * const { values } = parseFlags(['--json'], { json: { type: 'boolean' } });
 */
export function parseFlags<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (cause) {
    // Read the message structurally: node's errors come from another realm under jest's vm.
    const message = typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
    throw new UsageError(message, { cause });
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration such as `90s`, `30m`, `24h` or `7d`, in milliseconds.
 *
 * @example
 * parseDuration('24h', '--reward-window'); // 86400000
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} must be a duration like 30m, 24h or 7d (got "${text}")`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/**
 * `--since`: an ISO 8601 time, or a duration back from `now` (`24h`, `7d`).
 *
 * @example
 * parseSince('7d', new Date()); // seven days ago
 */
export function parseSince(text: string, now: Date, flag = '--since'): Date {
  if (/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(text.trim())) return new Date(now.getTime() - parseDuration(text, flag));
  const time = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) {
    throw new UsageError(`${flag} must be an ISO time (2026-01-05T08:00:00Z) or a duration back from now (24h, 7d); got "${text}"`);
  }
  return time;
}

/**
 * An integer option within bounds.
 *
 * @example
 * parseInteger('2000', '--decisions', { min: 1 }); // 2000
 */
export function parseInteger(text: string, flag: string, bounds: { min?: number; max?: number } = {}): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = bounds.max === undefined ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`${flag} must be an integer ${range} (got "${text}")`);
  }
  return value;
}

const REACTIONS: readonly Reaction[] = ['done', 'snooze', 'dismiss', 'none'];

/**
 * `--rewards done=1,snooze=0.25,dismiss=0,none=0`; reactions left out keep their defaults.
 *
 * @example
 * parseRewards('snooze=0.5'); // { done: 1, snooze: 0.5, dismiss: 0, none: 0 }
 */
export function parseRewards(text: string): RewardValues {
  const rewards: Record<Reaction, number> = { ...DEFAULT_REWARDS };
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [name = '', value = ''] = part.split('=').map((s) => s.trim());
    const reward = value === '' ? Number.NaN : Number(value);
    if (!(REACTIONS as readonly string[]).includes(name) || !Number.isFinite(reward)) {
      throw new UsageError(`--rewards takes reaction=value pairs for ${REACTIONS.join(', ')} (got "${part}")`);
    }
    rewards[name as Reaction] = reward;
  }
  return Object.freeze(rewards);
}

/**
 * An http(s) base URL without a trailing slash.
 *
 * @example
 * parseBaseUrl('http://localhost:8084/', '--recommender'); // 'http://localhost:8084'
 */
export function parseBaseUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new UsageError(`${flag} must be an http(s) URL (got "${text}")`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL (got "${text}")`);
  return url.toString().replace(/\/+$/, '');
}

/** `24h`, `90m`, `1500ms` — the shortest exact form, for reports. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
