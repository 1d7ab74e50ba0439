// `npm run stream`: tail, replay and export the event stream. Exit codes: 0 done, 1 the stream or
// a file could not be read or written, 2 bad arguments. Event lines and results go to stdout.
import { UsageError } from '../cli/cli-args';
import { runDecisionExport } from '../export/run-decision-export';
import type { DecisionSource } from '../ope/run-ope';
import { parseStreamArgs, STREAM_USAGE } from './stream-args';
import { replayEvents, tailEvents } from './stream-events';

async function main(argv: readonly string[]): Promise<void> {
  const args = parseStreamArgs(argv, new Date());
  const connection = { servers: process.env['NATS_URL'] || 'nats://127.0.0.1:4222', prefix: process.env['STREAM_PREFIX'] ?? '' };
  const print = (line: unknown): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
  switch (args.command) {
    case 'help':
      return void process.stdout.write(STREAM_USAGE);
    case 'tail': {
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      process.stderr.write(`tailing ${args.filter} (Ctrl-C stops)\n`);
      await tailEvents({ ...connection, ...args, signal: stop.signal }, print);
      return;
    }
    case 'replay': {
      const count = await replayEvents({ ...connection, ...args }, print);
      process.stderr.write(`replayed ${count} events\n`);
      return;
    }
    case 'export': {
      const source: DecisionSource = args.file !== undefined ? { kind: 'file', path: args.file } : { kind: 'stream', ...connection };
      const summary = await runDecisionExport({ ...args, source, path: args.out });
      print(summary);
      return;
    }
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError;
  process.stderr.write(`stream: ${err instanceof Error ? err.message : String(err)}\n${usage ? `\n${STREAM_USAGE}` : ''}`);
  process.exit(usage ? 2 : 1);
});
