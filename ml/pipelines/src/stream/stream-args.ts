import { parseArgs } from 'node:util';
import { DEFAULT_REWARDS, type RewardValues } from '@oo/bandit';
import { parseDuration, parseInteger, parseRewards, parseSince, UsageError } from '../cli/cli-args';
import type { ExportFormat } from '../export/decision-export-writers';
import { DEFAULT_REWARD_WINDOW_MS } from '../ope/run-ope';

export const STREAM_USAGE = `usage: npm run stream -- <command> [options]   (NATS_URL, default nats://127.0.0.1:4222; STREAM_PREFIX)

  tail <subject-filter>         live events as JSON lines (ephemeral consumer), e.g. 'signals.tip.*'
      --count <n>               stop after n events (default: until Ctrl-C)
      --raw                     add each payload as base64 and the headers (for other protobuf readers)
  replay [<subject-filter>]     stored events as JSON lines (default filter signals.>)
      --since <time>            from an ISO time, or 24h / 7d back (default: the stream's start)
      --until <time>            up to (not including) an ISO time or a duration back (default: now)
      --raw                     as for tail
  export                        decisions joined with their rewards, one row per decision
      --format jsonl|parquet    required
      --out <path>              required
      --file <path>             read a raw decision log (npm run ope -- --export) instead of the stream
      --since, --until <time>   decisions served in [since, until)
      --reward-window <d>       default 24h;  --rewards done=1,snooze=0.25,dismiss=0,none=0
      --progress                the progress bar even when stderr is not a terminal
  -h, --help                    this text
`;

export type StreamCommand =
  | { readonly command: 'help' }
  | { readonly command: 'tail'; readonly filter: string; readonly count?: number; readonly raw: boolean }
  | { readonly command: 'replay'; readonly filter: string; readonly since?: Date; readonly until?: Date; readonly raw: boolean }
  | {
      readonly command: 'export';
      readonly format: ExportFormat;
      readonly out: string;
      readonly file?: string;
      readonly since?: Date;
      readonly until?: Date;
      readonly rewardWindowMs: number;
      readonly rewards: RewardValues;
      readonly progress?: boolean;
    };

const FILTER = /^([A-Za-z0-9_-]+|\*)(\.([A-Za-z0-9_-]+|\*))*(\.>)?$|^>$/;

/**
 * Parses `npm run stream -- …`; throws a UsageError that names the bad argument.
 *
 * @example
 * parseStreamArgs(['tail', 'signals.tip.*', '--count', '5'], new Date());
 */
export function parseStreamArgs(argv: readonly string[], now: Date): StreamCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { command: 'help' };
  const { values: v, positionals } = parse(rest);
  if (v.help) return { command: 'help' };
  const time = (text: string | undefined, flag: string): Date | undefined => (text === undefined ? undefined : parseSince(text, now, flag));
  switch (command) {
    case 'tail': {
      only(v, ['count', 'raw'], 'tail');
      if (positionals.length !== 1) throw new UsageError('tail takes one subject filter, e.g. tail signals.tip.served');
      return { command, filter: filter(positionals[0] as string), count: v.count === undefined ? undefined : parseInteger(v.count, '--count', { min: 1 }), raw: v.raw === true };
    }
    case 'replay': {
      only(v, ['since', 'until', 'raw'], 'replay');
      if (positionals.length > 1) throw new UsageError('replay takes at most one subject filter');
      const range = ordered(time(v.since, '--since'), time(v.until, '--until'));
      return { command, filter: filter(positionals[0] ?? 'signals.>'), ...range, raw: v.raw === true };
    }
    case 'export': {
      only(v, ['format', 'out', 'file', 'since', 'until', 'reward-window', 'rewards', 'progress'], 'export');
      if (positionals.length > 0) throw new UsageError(`export takes no positional arguments (got "${positionals.join(' ')}")`);
      if (v.format !== 'jsonl' && v.format !== 'parquet') throw new UsageError(`--format must be jsonl or parquet (got ${v.format === undefined ? 'nothing' : `"${v.format}"`})`);
      if (v.out === undefined || v.out.trim() === '') throw new UsageError('export needs --out <path>');
      if (v.file !== undefined && v.file === v.out) throw new UsageError('--out would overwrite the --file it reads');
      const window = v['reward-window'] === undefined ? DEFAULT_REWARD_WINDOW_MS : parseDuration(v['reward-window'], '--reward-window');
      if (window <= 0) throw new UsageError('--reward-window must be longer than 0');
      return {
        command,
        format: v.format,
        out: v.out,
        file: v.file,
        ...ordered(time(v.since, '--since'), time(v.until, '--until')),
        rewardWindowMs: window,
        rewards: v.rewards === undefined ? DEFAULT_REWARDS : parseRewards(v.rewards),
        progress: v.progress === true ? true : undefined,
      };
    }
    default:
      throw new UsageError(`unknown command "${command}": use tail, replay or export`);
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        count: { type: 'string' },
        raw: { type: 'boolean' },
        since: { type: 'string' },
        until: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        file: { type: 'string' },
        'reward-window': { type: 'string' },
        rewards: { type: 'string' },
        progress: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    // Read the message structurally: node's errors come from another realm under jest's vm.
    const message = typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
    throw new UsageError(message, { cause });
  }
}

function only(values: Record<string, unknown>, allowed: readonly string[], command: string): void {
  const extra = Object.keys(values).filter((k) => k !== 'help' && !allowed.includes(k));
  if (extra.length > 0) throw new UsageError(`${command} does not take ${extra.map((k) => `--${k}`).join(', ')}`);
}

function filter(text: string): string {
  if (!FILTER.test(text)) throw new UsageError(`"${text}" is not a NATS subject filter (tokens of letters, digits, _ and -, "*" for one token, a final ">" for the rest)`);
  return text;
}

function ordered(since: Date | undefined, until: Date | undefined): { since?: Date; until?: Date } {
  if (since && until && until.getTime() <= since.getTime()) {
    throw new UsageError(`--until (${until.toISOString()}) must be later than --since (${since.toISOString()})`);
  }
  return { since, until };
}
