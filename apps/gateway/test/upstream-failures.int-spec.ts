import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startServiceHarness } from '@oo/service-testing';
import { createTestAuth, freePort, type TestAuth } from '@oo/testing';
import { gatewayService } from '../src/service';
import { call } from './support/client';

// Upstreams that misbehave in the ways a network does: silent, absent, broken. Each answers on
// the profile's route so the gateway's real proxy path is what meets them.
interface Upstream {
  url: string;
  seen: IncomingHttpHeaders[];
  server: Server;
}

async function upstream(answer: (res: import('node:http').ServerResponse) => void): Promise<Upstream> {
  const seen: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    answer(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = server.close.bind(server);
  server.close = ((cb?: () => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof server.close;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('upstream failures at the gateway', () => {
  let keys: TestAuth;
  let silent: Upstream;
  let broken: Upstream;
  let echo: Upstream;
  let stops: (() => Promise<void>)[];

  const gateway = async (profileUrl: string, env: Record<string, string> = {}) => {
    const h = await startServiceHarness(gatewayService, { label: 'gw-failures', auth: keys, env: { PROFILE_URL: profileUrl, UPSTREAM_TIMEOUT_MS: '300', ...env } });
    stops.push(() => h.stop());
    return h;
  };
  const features = async (baseUrl: string, headers: Record<string, string> = {}) => call(baseUrl, 'GET', '/v1/me/features', { token: await keys.sign('ada'), headers });

  beforeAll(async () => {
    keys = await createTestAuth();
    stops = [];
    silent = await upstream(() => undefined);
    broken = await upstream((res) => res.writeHead(500, { 'content-type': 'application/problem+json' }).end('{"status":500,"detail":"secret internals"}'));
    echo = await upstream((res) => res.writeHead(200, { 'content-type': 'application/json', 'x-internal': 'no' }).end('{"userId":"ada","registryVersion":"r","features":[]}'));
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    for (const u of [silent, broken, echo]) await new Promise((r) => u.server.close(r));
  });

  it('answers 504 when the upstream does not answer within UPSTREAM_TIMEOUT_MS', async () => {
    const h = await gateway(silent.url);
    const res = await features(h.baseUrl);
    expect(res.status).toBe(504);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'GATEWAY_UPSTREAM_TIMEOUT', instance: '/v1/me/features' });
  });

  it('refuses at once, 503 with Retry-After, what is beyond MAX_IN_FLIGHT, and frees the slot when a request ends', async () => {
    const h = await gateway(silent.url, { MAX_IN_FLIGHT: '1' });
    const waiting = features(h.baseUrl);
    await new Promise((r) => setTimeout(r, 50));
    const began = Date.now();
    const refused = await features(h.baseUrl);
    expect(Date.now() - began).toBeLessThan(250);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({ code: 'GATEWAY_OVERLOADED' });
    expect((await waiting).status).toBe(504);
    // The slot came back: the next request reaches the (silent) upstream again.
    expect((await features(h.baseUrl)).status).toBe(504);
    const metrics = await fetch(`${h.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^oo_gateway_shed_total{service="gateway"} 1$/m);
  });

  it('answers 503 when nobody listens at the upstream address', async () => {
    const h = await gateway(`http://127.0.0.1:${await freePort()}`);
    const res = await features(h.baseUrl);
    expect(res.status).toBe(503);
    expect(res.body['code']).toBe('GATEWAY_UPSTREAM_UNAVAILABLE');
  });

  it("answers 502 for an upstream 5xx and says nothing of the upstream's details", async () => {
    const h = await gateway(broken.url);
    const res = await features(h.baseUrl);
    expect(res.status).toBe(502);
    expect(res.body['code']).toBe('GATEWAY_UPSTREAM_FAILED');
    expect(res.text).not.toContain('secret internals');
  });

  it("forwards the caller's token, x-request-id and the trace, and pipes the answer without internal headers", async () => {
    const h = await gateway(echo.url);
    const token = await keys.sign('ada');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await call(h.baseUrl, 'GET', '/v1/me/features', { token, headers: { 'x-request-id': 'req-42', traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'ada', registryVersion: 'r', features: [] });
    expect(res.headers.get('x-internal')).toBeNull();
    const sent = echo.seen.at(-1) ?? {};
    expect(sent['authorization']).toBe(`Bearer ${token}`);
    expect(sent['x-request-id']).toBe('req-42');
    expect(sent['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(sent['traceparent']).not.toContain('00f067aa0ba902b7');
    expect(sent['connection']).toBe('keep-alive');
  });
});
