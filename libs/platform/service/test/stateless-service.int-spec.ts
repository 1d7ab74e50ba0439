import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { statelessServiceSchema } from '@oo/config';
import { createInProcessBus } from '@oo/events';
import { createTestAuth, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { Router } from 'express';
import { defineStatelessService, startService, type ContextOf } from '../src';

const subjects = { 'signals.test.pinged': StringValueSchema } as const;

// A service that owns nothing, like the gateway: one route, one check of its own.
export const edge = defineStatelessService({
  name: 'gateway',
  config: statelessServiceSchema('gateway'),
  subjects,
  setup: () => ({ hits: [] as string[] }),
  routes: (ctx) => [
    Router().get('/echo/:word', (req, res) => {
      ctx.hits.push(req.params.word);
      res.json({ word: req.params.word, hasDb: 'db' in ctx, hasEnqueue: 'enqueue' in ctx });
    }),
  ],
  readiness: { upstream: (ctx) => ctx.hits.length >= 0 },
});

type EdgeContext = ContextOf<typeof edge>;
// @ts-expect-error a stateless service's context has no database
export const noDb = (ctx: EdgeContext) => ctx.db;
// @ts-expect-error nor an outbox
export const noEnqueue = (ctx: EdgeContext) => ctx.enqueue;

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('a stateless service', () => {
  it('starts without DATABASE_URL and answers, with readiness that checks no database and metrics as usual', async () => {
    const auth = await createTestAuth();
    const env = { PORT: '0', NATS_URL: testNatsUrl(), STREAM_PREFIX: uniqueStreamPrefix('stateless'), AUTH_ISSUER: auth.issuer, AUTH_JWKS: auth.jwks, LOG_LEVEL: 'silent' };
    const running = await startService(edge, { env });
    try {
      expect(await getJson(`${running.url}/echo/hi`)).toEqual({ status: 200, body: { word: 'hi', hasDb: false, hasEnqueue: false } });
      const ready = await getJson(`${running.url}/readyz`);
      expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
      expect(Object.keys(ready.body['checks'] as object).sort()).toEqual(['nats', 'revocations', 'upstream']);
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      expect(metrics).toContain('http_request_duration_seconds_bucket');
      expect(metrics).not.toContain('oo_db_pool_connections');
    } finally {
      await running.stop();
    }
  });

  it('runs on a shared in-process bus, as in the embedded start', async () => {
    const auth = await createTestAuth();
    const bus = createInProcessBus();
    const running = await startService(edge, { env: { PORT: '0', AUTH_ISSUER: auth.issuer, AUTH_JWKS: auth.jwks, LOG_LEVEL: 'silent' }, bus });
    try {
      expect((await getJson(`${running.url}/readyz`)).body).toMatchObject({ status: 'ready' });
    } finally {
      await running.stop();
      await bus.drain();
    }
  });

  it('refuses a descriptor that declares migrations or subscriptions', () => {
    const declare = () => defineStatelessService({ ...edge, subscriptions: [] } as unknown as Parameters<typeof defineStatelessService>[0]);
    expect(declare).toThrow(expect.objectContaining({ code: 'SERVICE_STATELESS_MISUSE' }));
  });
});
