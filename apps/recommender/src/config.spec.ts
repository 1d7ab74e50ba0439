import { ConfigError } from '@oo/config';
import { loadRecommenderConfig } from './config';

const base = {
  DATABASE_URL: 'postgres://127.0.0.1/test',
  NATS_URL: 'nats://127.0.0.1:4222',
  AUTH_ISSUER: 'urn:oo:test',
  AUTH_JWKS_URL: 'http://127.0.0.1/jwks',
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

  it('names every bad key at once', () => {
    const found = problems({ ...base, LOCAL_POLICY_EPSILON: '1.5', ML_TIMEOUT_MS: 'soon' });
    expect(found.map((p) => p.key).sort()).toEqual(['LOCAL_POLICY_EPSILON', 'ML_TIMEOUT_MS']);
  });

  it('needs no service token of its own: the kit gets one by client credentials when it is first used', () => {
    expect(problems(base)).toEqual([]);
    expect(loadRecommenderConfig({ ...base, AUTH_TOKEN_URL: 'http://auth:8081/oauth/token', SERVICE_CLIENT_SECRET_FILE: '/var/run/secrets/oo/client-secret' })).toMatchObject({
      SERVICE_CLIENT_ID: 'recommender',
      SERVICE_CLIENT_SECRET_FILE: '/var/run/secrets/oo/client-secret',
    });
  });

  it('refuses the live policy among the shadows', () => {
    expect(problems({ ...base, SHADOW_POLICIES: 'thompson,linucb' }).map((p) => p.key)).toEqual(['SHADOW_POLICIES']);
  });
});
