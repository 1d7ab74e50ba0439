import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServiceHarness } from '@oo/service-testing';
import { listRoutes } from '@oo/testing';
import { API_FILES, renderApiDocument, ROOT } from '../scripts/api-files';
import { gatewayService } from '../src/service';
import { call } from './support/client';

// Not part of the API: the kit's probes and metrics, and the documentation itself.
const UNDOCUMENTED = new Set(['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /openapi.json', 'GET /docs']);

const startGateway = () => startServiceHarness(gatewayService, { label: 'gw-openapi' });

describe('the OpenAPI document', () => {
  let h: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(() => h?.stop());

  it('is served at /openapi.json exactly as committed in docs/openapi.json', async () => {
    const committed: unknown = JSON.parse(await readFile(join(ROOT, API_FILES.document), 'utf8'));
    const served = await call(h.baseUrl, 'GET', '/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(committed);
    expect(served.body['openapi']).toBe('3.1.0');
    expect(renderApiDocument()).toBe(await readFile(join(ROOT, API_FILES.document), 'utf8'));
  });

  it('and the client types in libs/api-client are generated from it as committed (npm run api:generate)', () => {
    const check = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['apps/gateway/scripts/api-generate.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('API files are current');
    expect(check.status).toBe(0);
  });

  it('documents every route the gateway serves, and serves every route it documents', async () => {
    const served = listRoutes(h.service.server)
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
      .filter((r) => !UNDOCUMENTED.has(r));
    const doc = (await call(h.baseUrl, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(served.length).toBeGreaterThan(15);
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it('has an interactive reference at /docs whose assets come from the gateway itself', async () => {
    const page = await call(h.baseUrl, 'GET', '/docs/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.(js|css)/);
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect((await call(h.baseUrl, 'GET', `/docs/${src.replace(/^\.\//, '')}`)).status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });
});
