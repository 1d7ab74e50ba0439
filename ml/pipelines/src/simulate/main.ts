// `npm run simulate`: simulated users against the running services, printing the learning
// curve. Exit codes: 0 done, 1 a service or the key failed, 2 bad arguments.
import { UsageError } from '../cli/cli-args';
import { stderrProgress } from '../cli/progress';
import { readDevAuthKey } from './dev-auth-key';
import { runSimulation } from './run-simulation';
import { parseSimulateArgs, SIMULATE_USAGE } from './simulate-args';
import { formatSimulationReport } from './simulation-report';

async function main(argv: readonly string[]): Promise<void> {
  const args = parseSimulateArgs(argv);
  if (args.help) return void process.stdout.write(SIMULATE_USAGE);
  const authKey = await readDevAuthKey(args.authKeyPath);
  const nats = { servers: process.env['NATS_URL'] || 'nats://127.0.0.1:4222', prefix: process.env['STREAM_PREFIX'] ?? '' };
  const { records: _records, ...report } = await runSimulation({ ...args, authKey, nats }, { progress: stderrProgress(args.progress) });
  for (const [what, state] of Object.entries(report.sync)) {
    // Decisions made before the recommender knew a user's timezone or tasks make the curve misleading.
    if (state !== 'applied') process.stderr.write(`simulate: warning: the recommender's ${what} sync ended in "${state}"\n`);
  }
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatSimulationReport({ ...report, records: [] }));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError;
  process.stderr.write(`simulate: ${err instanceof Error ? err.message : String(err)}\n${usage ? `\n${SIMULATE_USAGE}` : ''}`);
  process.exit(usage ? 2 : 1);
});
