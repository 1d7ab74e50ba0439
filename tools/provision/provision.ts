// `npm run provision`: streams and consumers as code (deploy/nats), applied to NATS_URL.
import { runProvisionCommand } from './provision-command';

runProvisionCommand({
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then((code) => process.exit(code));
