import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The architecture's import rules, exercised through the real eslint CLI, config and project
// graph: each case is a source text linted as if it lived at `file`.
const root = join(__dirname, '..', '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

function boundaryErrors(file: string, source: string): string[] {
  const run = spawnSync(join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', file, '--format', 'json'], {
    cwd: root,
    input: source,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  jest.setTimeout(30_000);

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
});
