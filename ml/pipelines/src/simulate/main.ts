// `npm run simulate`: simulated users, signed in through the gateway, against the running
// services, printing the learning curve. Exit codes: 0 done, 1 a service or a sign-in failed,
// 2 bad arguments.
import { UsageError } from '../cli/cli-args';
import { stderrProgress } from '../cli/progress';
// The one way development tools become users (no other key signs tokens the services accept).
// tools/ is no Nx project, so the boundary rule cannot place this import; the fix is to move this
// entry point to tools/ (see ml/pipelines/README.md, "npm run simulate").
// eslint-disable-next-line @nx/enforce-module-boundaries
import { DEV_TOOLS_CLIENT_ID, signInDevUser } from '../../../../tools/system/dev-sign-in';
import { createGatewayRefresh } from './gateway-refresh';
import { runSimulation } from './run-simulation';
import { parseSimulateArgs, SIMULATE_USAGE } from './simulate-args';
import { formatSimulationReport } from './simulation-report';

async function main(argv: readonly string[]): Promise<void> {
  const args = parseSimulateArgs(argv);
  if (args.help) return void process.stdout.write(SIMULATE_USAGE);
  const signIn = (name: string) =>
    signInDevUser(args.gatewayUrl, name).catch((err: unknown) => {
      throw new Error(`at the gateway ${args.gatewayUrl} (--gateway): ${err instanceof Error ? err.message : String(err)}`, { cause: err instanceof Error ? err.cause : undefined });
    });
  const refresh = createGatewayRefresh({ gatewayUrl: args.gatewayUrl, clientId: DEV_TOOLS_CLIENT_ID });
  const nats = { servers: process.env['NATS_URL'] || 'nats://127.0.0.1:4222', prefix: process.env['STREAM_PREFIX'] ?? '' };
  const { records: _records, ...report } = await runSimulation({ ...args, signIn, refresh, nats }, { progress: stderrProgress(args.progress) });
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
