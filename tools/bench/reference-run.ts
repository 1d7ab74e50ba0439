import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../services';

/** What `../shared/bench/reference/run.sh` prints: the minimal hot path on this stack, measured now. */
export interface ReferenceFigures {
  achieved: number;
  p50: number;
  p99: number;
  cpuMs: number;
}

const SCRIPT = join(ROOT, '..', 'shared', 'bench', 'reference', 'run.sh');
const LINE = /reference: rate=\S+ achieved=(\S+) p50=(\S+) p99=(\S+) cpu_ms=(\S+)/;

/**
 * Runs the same-run reference (a private Postgres and nats-server, an Express gateway in front of a
 * minimal recommender) at `rate` for `seconds`; undefined, with the reason printed, where the
 * reference is not beside this checkout or fails. The operating targets are ratios to these figures.
 *
 * @example
 * const reference = runReference(200, 20);
 */
export function runReference(rate: number, seconds: number): ReferenceFigures | undefined {
  if (!existsSync(SCRIPT)) {
    console.log(`  (no reference at ${SCRIPT}: ratios not printed)`);
    return undefined;
  }
  const run = spawnSync('bash', [SCRIPT, String(rate), String(seconds)], { cwd: ROOT, encoding: 'utf8', timeout: (seconds + 120) * 1000 });
  const match = LINE.exec(run.stdout);
  if (!match) {
    console.log(`  (the reference failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ')})`);
    return undefined;
  }
  const [, achieved, p50, p99, cpuMs] = match.map(Number);
  return { achieved: achieved as number, p50: p50 as number, p99: p99 as number, cpuMs: cpuMs as number };
}
