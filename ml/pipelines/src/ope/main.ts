// `npm run ope`: off-policy evaluation (or an export) of the decision log. Exit codes: 0 done,
// 1 the log could not be read, 2 bad arguments.
import { UsageError } from '../cli/cli-args';
import { stderrProgress } from '../cli/progress';
import { OPE_USAGE, parseOpeArgs } from './ope-args';
import { formatOpeReport } from './ope-report';
import { runExport, runOpe, type DecisionSource } from './run-ope';

async function main(argv: readonly string[]): Promise<void> {
  const args = parseOpeArgs(argv, new Date());
  if (args.help) return void process.stdout.write(OPE_USAGE);
  const progress = stderrProgress(args.progress);
  const source: DecisionSource =
    args.source.kind === 'file' ? args.source : { kind: 'stream', servers: process.env['NATS_URL'] || 'nats://127.0.0.1:4222', prefix: process.env['STREAM_PREFIX'] ?? '' };
  if (args.exportPath !== undefined) {
    const count = await runExport(source, args.exportPath, { since: args.since, progress });
    const summary = args.json ? JSON.stringify({ exported: count, path: args.exportPath }) : `wrote ${count} decisions to ${args.exportPath}`;
    return void process.stdout.write(`${summary}\n`);
  }
  const report = await runOpe({ ...args, source, progress });
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatOpeReport(report));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError;
  process.stderr.write(`ope: ${err instanceof Error ? err.message : String(err)}\n${usage ? `\n${OPE_USAGE}` : ''}`);
  process.exit(usage ? 2 : 1);
});
