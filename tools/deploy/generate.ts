// `npm run deploy:generate`: writes the per-service parts of deploy/k8s/base and deploy/compose
// from tools/deploy/topology.ts. Hand-written parts (NATS, overlays, components) are left alone;
// a test fails when a generated file is not what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../services';
import { generatedFiles } from './generated-files';

for (const [path, text] of generatedFiles()) {
  const file = join(ROOT, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path}`);
}
