import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { createLogger } from '@oo/logger';
import { createUpstreamUnauthorized, UPSTREAM_UNAUTHORIZED_METRIC } from './upstream-unauthorized';

describe('createUpstreamUnauthorized', () => {
  const capture = () => {
    const lines: { level: string; upstream: string; refusedSinceLastLog: number }[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    });
    return { lines, log: createLogger({ service: 'recommender', level: 'info', destination }) };
  };

  it('counts every refusal and logs an error once a minute per upstream, with the count in between', async () => {
    const { lines, log } = capture();
    const registry = new Registry();
    let now = 0;
    const unauthorized = createUpstreamUnauthorized(log, registry, () => now);
    unauthorized.refused('profile', 403, 'GET /v1/profiles/:userId/features');
    unauthorized.refused('profile', 403, 'GET /v1/profiles/:userId/features');
    unauthorized.refused('ml-serving', 401, 'POST /v1/score');
    now = 60_000;
    unauthorized.refused('profile', 401, 'GET /v1/profiles/:userId/features');

    const text = await registry.metrics();
    expect(text).toContain(`${UPSTREAM_UNAUTHORIZED_METRIC}{upstream="profile"} 3`);
    expect(text).toContain(`${UPSTREAM_UNAUTHORIZED_METRIC}{upstream="ml-serving"} 1`);
    expect(lines.map((l) => [l.level, l.upstream, l.refusedSinceLastLog])).toEqual([
      ['error', 'profile', 0],
      ['error', 'ml-serving', 0],
      ['error', 'profile', 1],
    ]);
  });

  it('shares one counter when asked twice for the same registry', async () => {
    const registry = new Registry();
    const { log } = capture();
    createUpstreamUnauthorized(log, registry).refused('profile', 401, 'GET /v1/registry');
    createUpstreamUnauthorized(log, registry).refused('profile', 401, 'GET /v1/registry');
    expect(await registry.metrics()).toContain(`${UPSTREAM_UNAUTHORIZED_METRIC}{upstream="profile"} 2`);
  });
});
