// `npm run bench`: runs every benchmark script (`*.bench.ts` under apps/*/bench, libs/**/bench, tools/bench and
// ml/*/bench) one after another with tsx, streaming its output; fails if any of them fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../services';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.nx']);

/** Every `*.bench.ts` below `dir`, at any depth. */
function benchFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : benchFilesIn(path);
    return entry.isFile() && entry.name.endsWith('.bench.ts') ? [path] : [];
  });
}

/** The `bench` folders of each project directly under `parent` (apps/x/bench, ml/x/bench). */
function projectBenchDirs(parent: string): string[] {
  const dir = join(ROOT, parent);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name, 'bench'))
    .filter((bench) => existsSync(bench));
}

/** Every folder named `bench` anywhere below `dir` (libs nest projects at different depths). */
function nestedBenchDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory() || SKIPPED_DIRS.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.name === 'bench' ? [path] : nestedBenchDirs(path);
  });
}

const dirs = [...projectBenchDirs('apps'), ...nestedBenchDirs(join(ROOT, 'libs')), ...projectBenchDirs('ml'), join(ROOT, 'tools', 'bench')];
const files = [...new Set(dirs.flatMap(benchFilesIn))].sort();
if (files.length === 0) {
  console.log('bench: no *.bench.ts found');
  process.exit(0);
}

const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
const failed: string[] = [];
for (const file of files) {
  const name = relative(ROOT, file);
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const run = spawnSync(tsx, [file], { cwd: ROOT, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status === 0) {
    console.log(`=== ${name}: ok in ${seconds} s`);
    continue;
  }
  const why = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`;
  console.log(`=== ${name}: FAILED (${why}) after ${seconds} s`);
  failed.push(name);
}
console.log(`\nbench: ${files.length - failed.length} of ${files.length} passed${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length === 0 ? 0 : 1);
