import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS_PATH, readDefaultPorts } from './default-ports-file';
import { copyWorkspace, type WorkspaceCopy } from './workspace-copy';

// The generator's promise, kept for real: a service generated into a throw-away copy of this
// workspace (never the real tree, where other tests run meanwhile) type-checks with everything
// else, lints clean and passes its own tests against the real Postgres and NATS. The whole file
// takes about 30 s on a 2-core machine, most of it the workspace-wide `tsc`.
const root = join(__dirname, '..', '..');
const NAME = 'field-notes';
const app = `apps/${NAME}`;

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

function run(cwd: string, command: string, args: readonly string[], timeoutMs = 240_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: process.env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

// On failure the assertion shows what the tool said, not just a non-zero status.
const said = (o: Outcome) => `status ${o.status}\n${o.stdout}\n${o.stderr}`.trim();

describe('npm run new:service', () => {
  let copy: WorkspaceCopy;
  let portsBefore: string;
  let generated: Outcome;

  beforeAll(async () => {
    copy = copyWorkspace(root, 'oo-new-service-');
    portsBefore = readFileSync(join(copy.root, DEFAULT_PORTS_PATH), 'utf8');
    generated = await run(copy.root, 'npm', ['run', '-s', 'new:service', '--', NAME]);
  }, 60_000);
  afterAll(() => copy?.remove());

  it('writes the service, its consumer file and one line of DEFAULT_PORTS on the next free port', () => {
    const port = Math.max(...readDefaultPorts(portsBefore).values()) + 1;
    expect(said(generated)).toContain(`Created ${NAME} on port ${port}`);
    const before = portsBefore.split('\n');
    const after = readFileSync(join(copy.root, DEFAULT_PORTS_PATH), 'utf8').split('\n');
    expect(after.filter((line) => !before.includes(line))).toEqual([`  '${NAME}': ${port},`]);
    expect(after).toHaveLength(before.length + 1);

    for (const file of ['README.md', 'tsconfig.json', 'src/main.ts', 'src/service.ts', 'src/config.ts', 'src/errors.ts', 'src/app.ts', 'src/http/items.router.ts']) {
      expect(existsSync(join(copy.root, app, file))).toBe(true);
    }
    for (const file of ['features/items/items.service.ts', 'features/items/items.repository.ts', 'features/items/items.table.ts', 'features/export/export-tables.ts']) {
      expect(existsSync(join(copy.root, app, 'src', file))).toBe(true);
    }
    for (const file of ['events/consumers/user-deletion.consumer.ts', 'db/database.ts', 'db/migrate.ts', 'db/migrations/index.ts']) {
      expect(existsSync(join(copy.root, app, 'src', file))).toBe(true);
    }
    expect(readdirSync(join(copy.root, app, 'src/db/migrations'))).toEqual([expect.stringMatching(/^\d{4}_\d{2}_\d{2}_\d{6}_create_field_notes_tables\.ts$/), 'index.ts']);
    expect(existsSync(join(copy.root, app, `test/${NAME}.int-spec.ts`))).toBe(true);
    expect(JSON.parse(readFileSync(join(copy.root, app, 'package.json'), 'utf8'))).toMatchObject({ name: `@oo/${NAME}` });
    const project = JSON.parse(readFileSync(join(copy.root, app, 'project.json'), 'utf8')) as { tags: string[]; targets: Record<string, unknown> };
    expect(project.tags).toEqual(['type:app', `scope:${NAME}`]);
    expect(Object.keys(project.targets).sort()).toEqual(['build', 'lint', 'migrate', 'serve', 'test', 'typecheck']);
    const consumers = JSON.parse(readFileSync(join(copy.root, `deploy/nats/consumers/${NAME}.json`), 'utf8')) as { consumers: unknown[] };
    expect(consumers.consumers).toEqual([
      expect.objectContaining({ durable: `${NAME}__user_deletion`, filterSubject: 'users.deletion.requested' }),
      expect.objectContaining({ durable: `${NAME}__export_requested`, filterSubject: 'exports.requested', stream: 'EXPORTS' }),
    ]);
  });

  it('refuses the same name again and a port already listed, and writes nothing', async () => {
    const again = await run(copy.root, 'npm', ['run', '-s', 'new:service', '--', NAME]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`"${NAME}" is already taken: the Nx project in ${app}`);
    const port = await run(copy.root, 'npm', ['run', '-s', 'new:service', '--', 'other-notes', '--port', '8082']);
    expect(port.status).toBe(1);
    expect(port.stderr).toContain('port 8082 is already profile');
    expect(existsSync(join(copy.root, 'apps/other-notes'))).toBe(false);
  });

  it('type-checks with the whole workspace', async () => {
    const tsc = await run(copy.root, 'npx', ['tsc', '-p', 'tsconfig.json']);
    expect(said(tsc)).toBe('status 0');
  }, 240_000);

  it('lints clean, module boundaries included', async () => {
    // The boundary rule reads Nx's project graph and silently passes without one.
    const graph = await run(copy.root, 'npx', ['nx', 'show', 'projects']);
    expect(graph.stdout.split('\n')).toContain(NAME);
    const lint = await run(copy.root, 'npx', ['eslint', '--max-warnings', '0', app]);
    expect(said(lint)).toBe('status 0');
  }, 120_000);

  it('passes its own tests against the real Postgres and NATS', async () => {
    const report = join(copy.root, 'jest-report.json');
    const jest = await run(copy.root, 'npx', ['jest', '--ci', app, '--json', '--outputFile', report]);
    expect(said(jest)).toMatch(/^status 0/);
    const result = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; testResults: { name: string }[] };
    expect(result.testResults.map((r) => r.name)).toEqual([join(copy.root, app, `test/${NAME}.int-spec.ts`)]);
    expect(result.numFailedTests).toBe(0);
    expect(result.numPassedTests).toBeGreaterThanOrEqual(7);
  }, 120_000);
});
