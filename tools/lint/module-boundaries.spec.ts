import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The architecture's import rules, exercised through the real eslint CLI, config and project
// graph: each case is a source text linted as if it lived at `file`.
const root = join(__dirname, '..', '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

function boundaryErrors(file: string, source: string): string[] {
  // The report goes to a file: Nx may print notices on stdout while it builds the project graph.
  const dir = mkdtempSync(join(tmpdir(), 'oo-lint-'));
  const report = join(dir, 'report.json');
  try {
    spawnSync(join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', file, '--format', 'json', '--output-file', report], {
      cwd: root,
      input: source,
      encoding: 'utf8',
    });
    return boundaryMessages(readFileSync(report, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function boundaryMessages(json: string): string[] {
  const [result] = JSON.parse(json) as { messages: LintMessage[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  jest.setTimeout(30_000);

  // The rule reads Nx's cached project graph and silently skips when there is none (a fresh
  // clone), so build it first, as `npm run lint` does.
  beforeAll(() => {
    const nx = spawnSync(join(root, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: root, encoding: 'utf8' });
    expect(nx.status).toBe(0);
  });

  it('forbids a platform library importing contracts', async () => {
    const errors = boundaryErrors('libs/platform/events/src/fixture.ts', "export { subjects } from '@oo/contracts';\n");
    expect(errors.join('\n')).toMatch(/type:platform.*type:contracts|can only depend on libs tagged with "type:platform"/);
  });

  it('forbids production code importing the testing library', async () => {
    const errors = boundaryErrors('libs/platform/db/src/fixture.ts', "export { createTestSchema } from '@oo/testing';\n");
    expect(errors).toHaveLength(1);
  });

  it('lets tests import the testing library', async () => {
    const errors = boundaryErrors('libs/platform/db/test/fixture.int-spec.ts', "export { createTestSchema } from '@oo/testing';\n");
    expect(errors).toEqual([]);
  });

  it('forbids contracts depending on anything of ours', async () => {
    const errors = boundaryErrors('libs/contracts/src/fixture.ts', "export { createDb } from '@oo/db';\n");
    expect(errors).toHaveLength(1);
  });

  it('forbids one service importing another', async () => {
    const errors = boundaryErrors('apps/recommender/src/fixture.ts', "export { startProfileService } from '@oo/profile';\n");
    expect(errors.join('\n')).toMatch(/Imports of apps are forbidden/);
  });

  it('forbids a service importing another even from its tests', async () => {
    const errors = boundaryErrors('ml/serving/test/fixture.int-spec.ts', "export { startProfileService } from '@oo/profile';\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('lets a service use the shared domain libraries', async () => {
    const errors = boundaryErrors('apps/recommender/src/fixture.ts', "export { chooseIndex } from '@oo/bandit';\nexport { taskFeatures } from '@oo/decision-features';\n");
    expect(errors).toEqual([]);
  });
});
