// The zero-setup start, end to end, where nothing but Node is available: each run happens in a
// network namespace of its own whose loopback has no Postgres and no NATS, with DATABASE_URL and
// NATS_URL unset — so a tip served there cannot have touched the machine's servers.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@oo/testing';
import { ROOT } from '../services';

jest.setTimeout(180_000);

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const ns = `oo-embedded-${randomBytes(3).toString('hex')}`;
const stateDir = mkdtempSync(join(tmpdir(), 'oo-embedded-'));

// Inside the namespace, without the variables that point at the shared servers.
function inNamespace(command: string[], env: Record<string, string> = {}): string[] {
  return ['netns', 'exec', ns, 'env', '-u', 'DATABASE_URL', '-u', 'NATS_URL', `OO_STATE_DIR=${stateDir}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command];
}

beforeAll(() => {
  // Postgres runs as its own user when we are root; it must be able to enter the folder.
  chmodSync(stateDir, 0o755);
  execFileSync('ip', ['netns', 'add', ns]);
  execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
});

afterAll(() => {
  spawnSync('ip', ['netns', 'del', ns]);
  rmSync(stateDir, { recursive: true, force: true });
});

it('has no Postgres or NATS inside the namespace', () => {
  const probe = (port: number) => spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]).status;
  expect(probe(5432)).not.toBe(0);
  expect(probe(4222)).not.toBe(0);
});

it('takes a task in, serves a tip for it, accepts feedback and changes the profile', () => {
  const run = spawnSync('ip', inNamespace([TSX, join(__dirname, 'embedded-scenario.ts')]), { cwd: ROOT, encoding: 'utf8', timeout: 150_000 });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`the scenario failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
  console.log(`embedded system ready in ${String(result['readyMs'])} ms`);
  expect(result).toMatchObject({ tipTaskId: 'task-embedded-1', feedbackStatus: 202, before: 0 });
  expect(result['after']).toBeGreaterThan(0);
  expect(String(result['databaseUrl'])).not.toMatch(/:5432\//);
});

it('npm start serves a tip with nothing configured and stops cleanly on Ctrl-C', async () => {
  const child = spawn('ip', inNamespace([TSX, join(ROOT, 'tools/start/start.ts')], { OO_PORTS: 'free', LOG_LEVEL: 'warn' }), { cwd: ROOT, detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await eventually(async () => (/Ctrl-C stops everything/.test(output) ? true : undefined), `npm start to come up:\n${output}`, 90_000, 200);
    // As a person at that terminal would: a token from `npm run token`, a tip from the gateway.
    const gateway = /oO is up at (http:\/\/\S+)/.exec(output)?.[1] ?? '';
    const signedIn = spawnSync('ip', inNamespace([TSX, join(ROOT, 'tools/start/token.ts'), 'ada'], { OO_GATEWAY_URL: gateway }), { cwd: ROOT, encoding: 'utf8' });
    const token = /export TOKEN=(\S+)/.exec(signedIn.stdout)?.[1];
    if (!token) throw new Error(`npm run token failed:\n${signedIn.stdout}${signedIn.stderr}`);
    const fetchTip = `fetch(${JSON.stringify(`${gateway}/v1/tips`)}, { method: 'POST', headers: { authorization: 'Bearer ${token}' } }).then(async (r) => console.log(r.status, await r.text()))`;
    const tip = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', fetchTip], { encoding: 'utf8' });
    expect(tip.stdout).toMatch(/^200 .*"decisionId"/);
  } finally {
    // As a terminal's Ctrl-C does: to the whole process group.
    if (child.pid) process.kill(-child.pid, 'SIGINT');
  }
  await exited;
  expect(output).toMatch(/oO is up at http:\/\/localhost:\d+ in [\d.]+ s \(every service in this process, embedded Postgres/);
  expect(output).toContain('stopped.');
});
