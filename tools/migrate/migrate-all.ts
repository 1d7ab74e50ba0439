// `npm run migrate`: runs every service's own migration entry point, one after another.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { discoverServices, ROOT } from '../services';

const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
let failed = 0;
for (const service of discoverServices()) {
  if (!service.migrate) continue;
  const run = spawnSync(tsx, [service.migrate, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
