import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { hasWebApp, webAppRouter } from './web-app.router';

describe('the web app served by the gateway', () => {
  let dir: string;
  const app = express();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'web-app-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>oO</title>');
    writeFileSync(join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("push", () => {})');
    app.use(webAppRouter(dir));
    app.get('/v1/me', (_req, res) => res.json({ id: 'api' }));
    app.use((_req, res) => res.status(404).json({ code: 'NOT_FOUND' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a deep link with the app page, revalidated on every visit', async () => {
    const res = await request(app).get('/history').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>oO</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for a year and the service worker not at all', async () => {
    const asset = await request(app).get('/assets/main-abc123.js');
    expect(asset.headers['cache-control']).toContain('immutable');
    const worker = await request(app).get('/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
  });

  it('leaves the API and non-HTML requests to the routes after it', async () => {
    expect((await request(app).get('/v1/me').set('accept', 'text/html')).body).toEqual({ id: 'api' });
    expect((await request(app).get('/v1/nothing').set('accept', 'text/html')).status).toBe(404);
    expect((await request(app).get('/favicon-missing.png').set('accept', 'image/png')).status).toBe(404);
  });

  it('is off when the folder has no built app', () => {
    expect(hasWebApp('')).toBe(false);
    expect(hasWebApp(join(dir, 'assets'))).toBe(false);
    expect(hasWebApp(dir)).toBe(true);
  });
});
