import { ConfigError } from '@oo/config';
import { loadRecommenderConfig } from './config';

const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const base = {
  DATABASE_URL: 'postgres://127.0.0.1/test',
  NATS_URL: 'nats://127.0.0.1:4222',
  AUTH_ISSUER: 'urn:oo:test',
  AUTH_JWKS_URL: 'http://127.0.0.1/jwks',
  SERVICE_TOKEN: jwt({ sub: 'recommender', token_use: 'service', exp: 2_000_000_000 }),
};
const problems = (env: Record<string, string>) => {
  try {
    loadRecommenderConfig(env);
    return [];
  } catch (err) {
    return err instanceof ConfigError ? err.problems : [];
  }
};

describe('recommender config', () => {
  it('has the documented defaults', () => {
    expect(loadRecommenderConfig(base)).toMatchObject({
      PORT: 8084,
      DB_SCHEMA: 'recommender',
      PROFILE_URL: 'http://127.0.0.1:8082',
      ML_SERVING_URL: 'http://127.0.0.1:8086',
      PROFILE_TIMEOUT_MS: 80,
      ML_TIMEOUT_MS: 60,
      LIVE_POLICY: 'linucb',
      SHADOW_POLICIES: ['thompson', 'epsilon-greedy', 'uniform'],
      MAX_TASK_CANDIDATES: 40,
      LOCAL_POLICY_EPSILON: 0.2,
    });
  });

  it('turns shadows off with none', () => {
    expect(loadRecommenderConfig({ ...base, SHADOW_POLICIES: 'none' }).SHADOW_POLICIES).toEqual([]);
  });

  it('refuses a token that is not a recommender service token, and names every bad key', () => {
    const found = problems({ ...base, SERVICE_TOKEN: jwt({ sub: 'ana', exp: 2_000_000_000 }), LOCAL_POLICY_EPSILON: '1.5', ML_TIMEOUT_MS: 'soon' });
    expect(found.map((p) => p.key).sort()).toEqual(['LOCAL_POLICY_EPSILON', 'ML_TIMEOUT_MS', 'SERVICE_TOKEN']);
    expect(problems({ ...base, SERVICE_TOKEN: 'not-a-jwt' }).map((p) => p.key)).toEqual(['SERVICE_TOKEN']);
  });

  it('names what is wrong with the service token', () => {
    const reason = (token: string) => problems({ ...base, SERVICE_TOKEN: token })[0]?.reason;
    expect(reason(jwt({ sub: 'recommender', token_use: 'access', exp: 2_000_000_000 }))).toMatch(/must be a service token/);
    expect(reason(jwt({ sub: 'notifier', token_use: 'service', exp: 2_000_000_000 }))).toBe('must be issued to recommender (sub "recommender")');
    expect(reason(jwt({ sub: 'recommender', token_use: 'service' }))).toBe('must carry an expiry (a numeric exp claim)');
  });

  it('takes the token from SERVICE_TOKEN or SERVICE_TOKEN_FILE, exactly one of them', () => {
    const { SERVICE_TOKEN: token, ...withoutToken } = base;
    expect(loadRecommenderConfig({ ...withoutToken, SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/recommender' })).toMatchObject({
      SERVICE_TOKEN_FILE: '/var/run/secrets/tokens/recommender',
    });
    expect(problems(withoutToken)).toEqual([
      { key: 'SERVICE_TOKEN', reason: 'set SERVICE_TOKEN (the token) or SERVICE_TOKEN_FILE (a file holding it, re-read before it expires)' },
    ]);
    expect(problems({ ...withoutToken, SERVICE_TOKEN: token, SERVICE_TOKEN_FILE: '/t' })).toEqual([
      { key: 'SERVICE_TOKEN', reason: 'set only one of SERVICE_TOKEN and SERVICE_TOKEN_FILE, not both' },
    ]);
    expect(problems({ ...withoutToken, LOCAL_POLICY_EPSILON: '2' }).map((p) => p.key).sort()).toEqual(['LOCAL_POLICY_EPSILON', 'SERVICE_TOKEN']);
  });

  it('refuses the live policy among the shadows', () => {
    expect(problems({ ...base, SHADOW_POLICIES: 'thompson,linucb' }).map((p) => p.key)).toEqual(['SHADOW_POLICIES']);
  });
});
