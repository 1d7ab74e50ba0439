// Where a service's CPU goes: reads V8 `.cpuprofile` files (written by the decision bench with
// `--profile <dir>`) and prints, per file, the busy time by package or our own source folder and
// the functions with the most self time. `npx tsx tools/bench/cpu-profile-summary.ts <dir> [--top 15]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

const IDLE = new Set(['(idle)', '(program)']);

/** A package (`pg`, `express`), node's own modules (`node:http`), or our folder (`libs/platform/events`). */
function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const ours = /\/(apps|libs|ml|tools)\/(.+)\/[^/]+$/.exec(url);
  if (ours) return `${ours[1]}/${(ours[2] as string).split('/').slice(0, 3).join('/')}`;
  return url;
}

function summarise(path: string, top: number): void {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const intervalMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * intervalMs;
    const { functionName, url, lineNumber } = node.callFrame;
    if (ms === 0 || IDLE.has(functionName)) continue;
    busy += ms;
    const owner = ownerOf(url, functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    const fn = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  const rows = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => `    ${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${k}`);
  console.log(`\n${path}: busy ${(busy / 1000).toFixed(1)} s of ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`);
  console.log('  by owner (self time)');
  console.log(rows(byOwner).join('\n'));
  console.log('  by function (self time)');
  console.log(rows(byFunction).join('\n'));
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
const dir = positionals[0];
if (!dir) {
  console.error('usage: cpu-profile-summary <dir> [--top 15]');
  process.exit(2);
}
// One folder per service, one file per thread; the loader's thread is idle after start-up.
for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.cpuprofile'))) {
  summarise(join(entry.parentPath, entry.name), Number(values.top));
}
