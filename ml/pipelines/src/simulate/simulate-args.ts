import { parseBaseUrl, parseDuration, parseFlags, parseInteger, UsageError } from '../cli/cli-args';

export const SIMULATE_USAGE = `usage: npm run simulate -- [options]

Drives the running recommender and profile services with simulated users whose reactions come
from a seeded hidden world, and prints the learning curve. Each user signs in through the
gateway at the local identity provider as sim-<run-id>-u<i>. Tasks go to JetStream (NATS_URL,
default nats://127.0.0.1:4222, and STREAM_PREFIX) as signals.task.upserted.

  --decisions <n>         decisions to make (default 2000)
  --users <n>             simulated users (default 40)
  --window <n>            decisions per learning-curve window (default 200)
  --seed <n>              seed of the world, the users and the reactions (default 1)
  --concurrency <n>       decisions in flight at once (default 1)
  --recommender <url>     recommender base URL (default http://localhost:8084)
  --profile <url>         profile base URL (default http://localhost:8082)
  --gateway <url>         gateway the users sign in through (default http://localhost:8080)
  --run-id <id>           tag for user names and task ids (default: from the clock, so users are new)
  --sync-timeout <d>      how long to wait for the recommender to apply timezones and tasks (default 30s)
  --json                  machine-readable report on stdout
  --progress              progress on stderr even when it is not a terminal
  -h, --help              this text
`;

export interface SimulateArgs {
  readonly help: boolean;
  readonly decisions: number;
  readonly users: number;
  readonly window: number;
  readonly seed: number;
  readonly concurrency: number;
  readonly recommenderUrl: string;
  readonly profileUrl: string;
  readonly gatewayUrl: string;
  readonly runId?: string;
  readonly syncTimeoutMs: number;
  readonly json: boolean;
  readonly progress?: boolean;
}

/**
 * Parses the `simulate` command line; throws a UsageError naming the bad flag.
 *
 * @example
 * parseSimulateArgs(['--decisions', '500', '--seed', '7']);
 */
export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  const { values: v } = parseFlags(argv, {
    decisions: { type: 'string' },
    users: { type: 'string' },
    window: { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string' },
    recommender: { type: 'string' },
    profile: { type: 'string' },
    gateway: { type: 'string' },
    'run-id': { type: 'string' },
    'sync-timeout': { type: 'string' },
    json: { type: 'boolean' },
    progress: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const runId = v['run-id'];
  if (runId !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(runId)) throw new UsageError('--run-id may hold up to 32 letters, digits, _ and -');
  const int = (flag: keyof typeof v, fallback: number, bounds: { min: number; max: number }): number => {
    const text = v[flag];
    return typeof text === 'string' ? parseInteger(text, `--${flag}`, bounds) : fallback;
  };
  return {
    help: v.help === true,
    decisions: int('decisions', 2_000, { min: 1, max: 1_000_000 }),
    users: int('users', 40, { min: 1, max: 10_000 }),
    window: int('window', 200, { min: 1, max: 1_000_000 }),
    seed: int('seed', 1, { min: 0, max: 2 ** 32 - 1 }),
    concurrency: int('concurrency', 1, { min: 1, max: 64 }),
    recommenderUrl: parseBaseUrl(v.recommender ?? 'http://localhost:8084', '--recommender'),
    profileUrl: parseBaseUrl(v.profile ?? 'http://localhost:8082', '--profile'),
    gatewayUrl: parseBaseUrl(v.gateway ?? 'http://localhost:8080', '--gateway'),
    runId,
    syncTimeoutMs: v['sync-timeout'] !== undefined ? parseDuration(v['sync-timeout'], '--sync-timeout') : 30_000,
    json: v.json === true,
    progress: v.progress === true ? true : undefined,
  };
}
