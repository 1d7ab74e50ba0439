import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, discoverServices } from '../services';

// What the image holds, built the way its Dockerfile builds it (one esbuild bundle per entry,
// pg-native left out) and started the way the image starts it (`node main.js` in a folder with
// deploy/nats and nothing else): every bundle loads and stops at the configuration it lacks,
// naming it, instead of at a module it cannot find. Docker itself cannot run on this machine.
jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'oo-bundles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (file: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [file], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });

it.each(discoverServices().map((s) => [s.name, s] as const))('%s bundles, and its main.js and db/migrate.js start as in the image', async (name, s) => {
  const out = join(dir, name);
  const entries = [s.main, ...(s.migrate ? [s.migrate] : [])];
  await build({ entryPoints: entries, bundle: true, platform: 'node', target: 'node20', outdir: out, outbase: join(s.root, 'src'), external: ['pg-native'], logLevel: 'silent' });
  cpSync(join(ROOT, 'deploy/nats'), join(out, 'deploy/nats'), { recursive: true });
  const main = spawnSync(process.execPath, ['main.js'], { cwd: out, env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8', timeout: 20_000 });
  expect({ status: main.status, said: /Invalid configuration/.test(main.stderr + main.stdout) }).toEqual({ status: 1, said: true });
  if (s.migrate) {
    const migrate = spawnSync(process.execPath, [join('db', 'migrate.js')], { cwd: out, env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8', timeout: 20_000 });
    // Exit 2: a usage error (no database to migrate), before any connection is tried.
    expect({ status: migrate.status, output: migrate.stderr + migrate.stdout }).toEqual({ status: 2, output: expect.stringMatching(/DATABASE_URL/) });
  }
});

it('bundles the provisioning command every image carries, and it says what it needs', async () => {
  await build({ entryPoints: [join(ROOT, 'tools/provision/provision.ts')], bundle: true, platform: 'node', target: 'node20', outfile: join(dir, 'provision.js'), external: ['pg-native'], logLevel: 'silent' });
  const result = run('provision.js', { NATS_DEFINITIONS_DIR: join(dir, 'missing') });
  expect({ status: result.status, err: result.stderr }).toEqual({ status: 1, err: expect.stringMatching(/^provision failed: cannot read/) });
});
