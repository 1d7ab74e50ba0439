import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type ServiceEntry } from '../services';
import { answersReady } from './system-env';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** One service running as its own process. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** The last lines it wrote, for a failure message. */
  tail(): string;
  /** Graceful: SIGTERM (to tsx, which forwards it), then SIGKILL to the group after 10 s. */
  stop(): Promise<void>;
  /** At once, for a caller that is exiting. */
  kill(): void;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs a script with tsx to completion; throws with its output when it fails. */
export function runScript(what: string, script: string, env: NodeJS.ProcessEnv): void {
  const run = spawnSync(TSX, [script], { cwd: ROOT, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${what} failed (${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
}

/**
 * Starts a service's `main.ts` with tsx. `onLine` receives every log line; the last 40 are kept
 * for `tail()`.
 */
export function startServiceProcess(service: ServiceEntry, port: number, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): ServiceProcess {
  // Its own process group: tsx runs the service in a child process, and a signal to the group
  // reaches both (a SIGKILL to tsx alone would orphan the service).
  // OO_CPU_PROF_DIR (benchmarks): node itself runs the service with tsx as a loader, so its V8 CPU
  // profiles (one per thread: the loader has its own) go to <dir>/<service> when it stops (tsx's own child process would not carry the flag).
  const profileDir = env.OO_CPU_PROF_DIR;
  const [command, args] = profileDir
    ? [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, service.name)}`, '--import', 'tsx', service.main]]
    : [TSX, [service.main]];
  const child = spawn(command, args, { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name: service.name,
    url: `http://127.0.0.1:${port}`,
    child,
    tail: () => lines.join('\n'),
    kill: () => signalGroup(child, 'SIGKILL'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // To tsx only: it hands the signal to the service once. The whole group would get it twice,
      // and a second SIGTERM makes the service give up its orderly shutdown.
      child.kill('SIGTERM');
      const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Resolves when `GET /readyz` answers 200; rejects with the service's last lines after `timeoutMs`. */
export async function waitReady(service: ServiceProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited with ${service.child.exitCode}:\n${service.tail()}`);
    if (await answersReady(service.url)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${service.name} was not ready after ${timeoutMs} ms:\n${service.tail()}`);
}
