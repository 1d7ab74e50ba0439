import { ConfigError } from '@oo/config';
import { DEFAULT_POLICIES } from './features/scoring/policy-catalog';
import { loadMlServingConfig } from './config';

const REQUIRED = {
  DATABASE_URL: 'postgres://127.0.0.1:5432/test',
  NATS_URL: 'nats://127.0.0.1:4222',
  AUTH_ISSUER: 'urn:oo:test',
  AUTH_JWKS_URL: 'http://127.0.0.1:8081/.well-known/jwks.json',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadMlServingConfig({ ...REQUIRED, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.key}: ${p.reason}`);
    throw err;
  }
  return [];
}

describe('ml-serving configuration', () => {
  it('defaults to schema ml, port 8086, the architecture rewards and a 24 h window', () => {
    const config = loadMlServingConfig(REQUIRED);
    expect(config).toMatchObject({
      DB_SCHEMA: 'ml',
      PORT: 8086,
      REWARD_DONE: 1,
      REWARD_SNOOZE: 0.25,
      REWARD_DISMISS: 0,
      REWARD_NONE: 0,
      REWARD_WINDOW_MS: 86_400_000,
    });
    expect(config.POLICIES).toBeUndefined();
    expect(DEFAULT_POLICIES['thompson']).toEqual({ kind: 'thompson', samples: 256, epsilon: 0.05 });
  });

  it('reads rewards, durations and a policy catalog from the environment', () => {
    const config = loadMlServingConfig({
      ...REQUIRED,
      REWARD_SNOOZE: '0.5',
      REWARD_NONE: '-0.1',
      REWARD_WINDOW_MS: '12h',
      POLICIES: '{"wide-ucb":{"kind":"linucb","alpha":1},"ts":{"kind":"thompson","samples":64}}',
    });
    expect(config.REWARD_SNOOZE).toBe(0.5);
    expect(config.REWARD_NONE).toBe(-0.1);
    expect(config.REWARD_WINDOW_MS).toBe(43_200_000);
    expect(config.POLICIES).toEqual({ 'wide-ucb': { kind: 'linucb', alpha: 1 }, ts: { kind: 'thompson', samples: 64 } });
  });

  it('names every bad key: unparsable or misspelt policies, rewards that are not numbers', () => {
    expect(problems({ POLICIES: '{oops' })).toEqual(['POLICIES: must be a JSON object of named policies']);
    expect(problems({ POLICIES: '{"ucb":{"kind":"linucb","alpah":1}}' })[0]).toMatch(/^POLICIES\.ucb: /);
    expect(problems({ POLICIES: '{"x":{"kind":"oracle"}}' })[0]).toMatch(/^POLICIES\.x/);
    expect(problems({ REWARD_DONE: 'high', CHECKPOINT_EVERY: '0' }).map((p) => p.split(':')[0])).toEqual(['REWARD_DONE', 'CHECKPOINT_EVERY']);
  });
});
