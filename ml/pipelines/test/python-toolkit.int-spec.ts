import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// The machine's Python with Debian's packages (a pyenv shim earlier on PATH would not see them).
const PYTHON = process.env['OO_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const PYTHON_ROOT = join(__dirname, '../../python');

describe('the Python toolkit (ml/python, python3 -m unittest)', () => {
  it('passes every test; the only skips are the Parquet reads that need pyarrow, and they say so', () => {
    const run = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], { cwd: PYTHON_ROOT, encoding: 'utf8', timeout: 240_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    if (run.status !== 0) throw new Error(`${PYTHON} -m unittest exited with ${String(run.status ?? run.signal)}:\n${output}`);
    const ran = Number(/Ran (\d+) tests?/.exec(output)?.[1] ?? 0);
    expect(ran).toBeGreaterThanOrEqual(17);
    const skips = [...output.matchAll(/skipped '([^']*)'/g)].map((m) => m[1]);
    expect(skips.every((reason) => reason?.includes('pyarrow is not installed'))).toBe(true);
    expect(output).toMatch(/max \|python - typescript\| over every estimate, bound, ESS and mean: \S+/);
    process.stdout.write(`${output.split('\n').filter((l) => /max \||skipped|^Ran|^OK/.test(l)).join('\n')}\n`);
  });
});
