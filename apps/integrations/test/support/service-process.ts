import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { eventually, freePort } from '@oo/testing';

const ROOT = resolve(__dirname, '../../../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** integrations's own `main.ts` in a process of its own, which a test can kill outright. */
export interface ServiceProcess {
  url: string;
  /** SIGKILL to the whole process group: no shutdown step runs, nothing is flushed. */
  kill(): Promise<void>;
  tail(): string;
}

/**
 * Starts `apps/integrations/src/main.ts` with `env` (a schema and streams a harness prepared)
 * and waits until it is ready.
 *
 * @example
 * const p = await startServiceProcess({ ...env, DB_SCHEMA: h.ctx.config.DB_SCHEMA });
 * await p.kill();
 */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const lines: string[] = [];
  const child: ChildProcess = spawn(TSX, ['apps/integrations/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'test', ...env, PORT: String(port) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).slice(-40));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await exited;
    }
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`integrations exited: ${lines.slice(-20).join('\n')}`);
      return (await fetch(`${url}/readyz`).catch(() => undefined))?.ok ? true : undefined;
    }, 'integrations ready', 30_000, 100);
  } catch (err) {
    await kill();
    throw err;
  }
  return { url, kill, tail: () => lines.slice(-40).join('\n') };
}
