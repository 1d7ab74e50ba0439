import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../services';

const WEB = join(ROOT, 'apps/web');
const BUILT = join(WEB, 'dist', 'index.html');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(WEB, p));

// The newest change under the web app's sources (files and folders alike).
function newestChangeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((child) => newestChangeMs(join(path, child))));
}

/** True when apps/web/dist is missing or older than a source of the web app (or the API client it uses). */
export function webBuildIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  const sources = [...SOURCES, join(ROOT, 'libs/api-client/src')];
  return sources.some((source) => newestChangeMs(source) > built);
}

/**
 * Builds the web app that the gateway serves at `/` when its build is stale (a few seconds);
 * returns whether it built.
 *
 * @example
 * ensureWebBuild((line) => console.log(line));
 */
export function ensureWebBuild(say: (line: string) => void): boolean {
  if (!webBuildIsStale()) return false;
  say('building the web app (apps/web → apps/web/dist)…');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', WEB, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  return true;
}
