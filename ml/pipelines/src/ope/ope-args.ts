import { DEFAULT_REWARDS, type RewardValues } from '@oo/bandit';
import { parseDuration, parseFlags, parseInteger, parseRewards, parseSince, UsageError } from '../cli/cli-args';
import { DEFAULT_REWARD_WINDOW_MS } from './run-ope';

export const OPE_USAGE = `usage: npm run ope -- [options]

  --since <time>          only decisions served since an ISO time, or 24h / 7d back (default: all)
  --from-stream           read signals.tip.served + signals.tip.feedback from JetStream (default;
                          NATS_URL, default nats://127.0.0.1:4222, and STREAM_PREFIX)
  --file <path>           read a JSONL decision log written by --export instead
  --export <path>         write the joined decision log as JSONL instead of evaluating
  --reward-window <d>     how long a reaction may take (default 24h); silence after it earns "none"
  --rewards <pairs>       e.g. done=1,snooze=0.25,dismiss=0,none=0 (the defaults)
  --seed <n>              bootstrap seed (default 0)
  --resamples <n>         bootstrap resamples (default 1000)
  --json                  machine-readable report on stdout
  --progress              progress on stderr even when it is not a terminal
  -h, --help              this text
`;

export interface OpeArgs {
  readonly help: boolean;
  readonly source: { readonly kind: 'stream' } | { readonly kind: 'file'; readonly path: string };
  readonly exportPath?: string;
  readonly since?: Date;
  readonly rewardWindowMs: number;
  readonly rewards: RewardValues;
  readonly seed: number;
  readonly resamples: number;
  readonly json: boolean;
  /** Undefined: only when stderr is a terminal. */
  readonly progress?: boolean;
}

/**
 * Parses the `ope` command line; throws a UsageError naming the bad flag.
 *
 * @example
 * parseOpeArgs(['--since', '7d', '--json'], new Date());
 */
export function parseOpeArgs(argv: readonly string[], now: Date): OpeArgs {
  const { values: v } = parseFlags(argv, {
    since: { type: 'string' },
    'from-stream': { type: 'boolean' },
    file: { type: 'string' },
    export: { type: 'string' },
    'reward-window': { type: 'string' },
    rewards: { type: 'string' },
    seed: { type: 'string' },
    resamples: { type: 'string' },
    json: { type: 'boolean' },
    progress: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v['from-stream'] && v.file !== undefined) throw new UsageError('--from-stream and --file are alternatives: give one');
  if (v.file !== undefined && v.file.trim() === '') throw new UsageError('--file needs a path');
  if (v.export !== undefined && v.export.trim() === '') throw new UsageError('--export needs a path');
  if (v.file !== undefined && v.export !== undefined && v.file === v.export) throw new UsageError('--export would overwrite the --file it reads');
  return {
    help: v.help === true,
    source: v.file !== undefined ? { kind: 'file', path: v.file } : { kind: 'stream' },
    exportPath: v.export,
    since: v.since !== undefined ? parseSince(v.since, now) : undefined,
    rewardWindowMs: v['reward-window'] !== undefined ? positive(parseDuration(v['reward-window'], '--reward-window')) : DEFAULT_REWARD_WINDOW_MS,
    rewards: v.rewards !== undefined ? parseRewards(v.rewards) : DEFAULT_REWARDS,
    seed: v.seed !== undefined ? parseInteger(v.seed, '--seed', { min: 0, max: 2 ** 32 - 1 }) : 0,
    resamples: v.resamples !== undefined ? parseInteger(v.resamples, '--resamples', { min: 1, max: 100_000 }) : 1_000,
    json: v.json === true,
    progress: v.progress === true ? true : undefined,
  };
}

function positive(ms: number): number {
  if (ms <= 0) throw new UsageError('--reward-window must be longer than 0');
  return ms;
}
