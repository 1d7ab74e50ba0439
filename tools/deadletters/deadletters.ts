// `npm run deadletters -- list [--durable <durable>] | replay <sequence>` (docs/runbooks/replay-a-dead-letter.md).
import { runDeadLetterCommand } from './dead-letter-command';

runDeadLetterCommand({
  env: process.env,
  argv: process.argv.slice(2),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then((code) => process.exit(code));
