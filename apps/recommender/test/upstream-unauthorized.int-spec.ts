import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { adviceFeatures, type ScoreRequest } from '@oo/decision-features';
import { createLogger } from '@oo/logger';
import { createTestAuth } from '@oo/testing';
import { createProfileClient, NEUTRAL_FALLBACKS, type ProfileClient } from '../src/features/context/profile-client';
import { createMlClient, type Scorer } from '../src/features/scoring/ml-client';
import { createUpstreamUnauthorized, UPSTREAM_UNAUTHORIZED_METRIC } from '../src/features/upstream/upstream-unauthorized';
import { startFakeMlServing, startFakeProfile, type FakeMlServing, type FakeProfile } from './support/fake-upstreams';

const request: ScoreRequest = {
  userId: 'fay',
  decisionId: 'd-1',
  candidates: [{ id: 'advice:break', features: adviceFeatures('break') }],
  context: { features: [], timezone: 'UTC', localHour: 10, localWeekday: 1 },
  policies: ['linucb'],
};

// Upstreams that refuse our service token: the decision still falls back, but never silently.
describe('profile and ml-serving refusing the service token', () => {
  const lines: { level: string; msg: string; upstream?: string; status?: number }[] = [];
  const log = createLogger({
    service: 'recommender',
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    }),
  });
  let registry: Registry;
  let held: string;
  const tokens = async () => held;
  let accepted: string;
  let profile: FakeProfile;
  let ml: FakeMlServing;
  let profileClient: ProfileClient;
  let scorer: Scorer;

  const refusals = async (upstream: string) =>
    (await registry.getSingleMetric(UPSTREAM_UNAUTHORIZED_METRIC)?.get())?.values.find((v) => v.labels['upstream'] === upstream)?.value ?? 0;
  const errorsAbout = (upstream: string) => lines.filter((l) => l.level === 'error' && l.upstream === upstream);

  beforeAll(async () => {
    const auth = await createTestAuth();
    held = await auth.sign('recommender', { token_use: 'service' });
    // The fakes answer 401 to any token but this one; it starts as a token we do not hold.
    accepted = 'a token the upstreams would accept';
    profile = await startFakeProfile(() => accepted);
    ml = await startFakeMlServing(() => accepted);
    registry = new Registry();
    const unauthorized = createUpstreamUnauthorized(log, registry);
    profileClient = createProfileClient({ baseUrl: profile.url, serviceToken: tokens, timeoutMs: 1_000, registryRefreshMs: 60_000, log, unauthorized });
    scorer = createMlClient({ baseUrl: ml.url, serviceToken: tokens, timeoutMs: 1_000, log, unauthorized });
  });
  afterAll(async () => {
    profileClient.stop();
    scorer.close();
    await Promise.all([profile.stop(), ml.stop()]);
  });

  it('counts a 401 from profile and logs it as an error, while the features fall back', async () => {
    expect(await profileClient.features('fay')).toEqual({ features: NEUTRAL_FALLBACKS, failure: 'error' });
    expect(profile.authorizations.at(-1)).toBe(`Bearer ${held}`);
    expect(await refusals('profile')).toBe(1);
    expect(errorsAbout('profile')).toMatchObject([{ status: 401, msg: expect.stringMatching(/profile refused the recommender's service token/) }]);

    await profileClient.features('fay');
    expect(await refusals('profile')).toBe(2);
    expect(errorsAbout('profile')).toHaveLength(1); // one line a minute, however many calls
  });

  it('counts a 401 from ml-serving and logs it as an error, while the local policy chooses', async () => {
    const outcome = await scorer.score(request);
    expect(outcome).toMatchObject({ ok: false, failure: 'error' });
    expect(await refusals('ml-serving')).toBe(1);
    expect(errorsAbout('ml-serving')).toMatchObject([{ status: 401 }]);
  });

  it('counts nothing once the upstreams accept the token', async () => {
    accepted = held;
    const before = [await refusals('profile'), await refusals('ml-serving')];
    expect((await profileClient.features('fay')).failure).toBeUndefined();
    expect((await scorer.score(request)).ok).toBe(true);
    expect([await refusals('profile'), await refusals('ml-serving')]).toEqual(before);
  });

  it('falls back without calling when no service token can be had', async () => {
    const calls = ml.authorizations.length;
    const unavailable = Object.assign(new Error('auth unreachable'), { code: 'SERVICE_TOKEN_UNAVAILABLE' });
    const client = createMlClient({ baseUrl: ml.url, serviceToken: () => Promise.reject(unavailable), timeoutMs: 1_000, log });
    try {
      expect(await client.score(request)).toEqual({ ok: false, failure: 'unavailable', error: unavailable });
      expect(ml.authorizations).toHaveLength(calls);
    } finally {
      client.close();
    }
  });

  it('sends the token the source holds now on every call', async () => {
    let current = 'first';
    const client = createMlClient({ baseUrl: ml.url, serviceToken: async () => current, timeoutMs: 1_000, log });
    try {
      await client.score(request);
      current = 'second';
      await client.score(request);
      expect(ml.authorizations.slice(-2)).toEqual(['Bearer first', 'Bearer second']);
    } finally {
      client.close();
    }
  });
});
