import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { statelessServiceSchema } from '@oo/config';
import { defineStatelessService } from '@oo/service';
import { Router } from 'express';
import { startServiceHarness } from '../src';

const edge = defineStatelessService({
  name: 'gateway',
  config: statelessServiceSchema('gateway'),
  subjects: { 'signals.test.pinged': StringValueSchema },
  setup: () => ({ hits: [] as string[] }),
  routes: (ctx) => [
    Router().get('/echo/:word', (req, res) => {
      ctx.hits.push(req.params.word);
      res.json({ word: req.params.word, hasDb: 'db' in ctx, hasEnqueue: 'enqueue' in ctx });
    }),
    Router().get('/token', async (_req, res) => res.json({ token: await ctx.serviceToken() })),
  ],
});

describe('the harness with a stateless service', () => {
  it('runs under the harness, which creates no schema for it', async () => {
    const h = await startServiceHarness(edge, { label: 'stateless-harness' });
    try {
      expect('db' in h).toBe(false);
      expect((await h.call('GET', '/echo/there', null)).body).toEqual({ word: 'there', hasDb: false, hasEnqueue: false });
      expect(h.ctx.hits).toEqual(['there']);
      const { token } = (await h.call('GET', '/token', null)).body as { token: string };
      await expect(h.ctx.verifier.verify(token)).resolves.toMatchObject({ service: 'gateway' });
    } finally {
      await h.stop();
    }
  });

});
