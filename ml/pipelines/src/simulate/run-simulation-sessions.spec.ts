import { generateKeyPair, type CryptoKey } from 'jose';
import { createFakeAuth } from '../../test/support/fake-auth';
import { createFakeServices } from '../../test/support/fake-services';
import { runSimulation } from './run-simulation';

// A run longer than an access token lives: the wall clock moves 20 s every time anyone reads it,
// and the fake services answer 401 to a token past its `exp` on that clock.
describe('a simulation that outlives its access tokens', () => {
  const now = new Date('2026-03-11T15:30:00Z');
  let keys: { publicKey: CryptoKey; privateKey: CryptoKey };
  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
  });

  const setup = () => {
    let wall = now.getTime();
    const tokenClock = (): number => (wall += 20_000);
    const auth = createFakeAuth({ privateKey: keys.privateKey, issuer: 'urn:oo:sim-test', now: tokenClock });
    const fake = createFakeServices({ publicKey: keys.publicKey, issuer: 'urn:oo:sim-test', now: () => now, tokenClock });
    const options = { decisions: 200, users: 3, window: 100, seed: 5, runId: 'long', concurrency: 4, recommenderUrl: 'http://rec', profileUrl: 'http://prof' };
    const deps = { now: () => now, fetch: fake.fetch, sync: fake.sync(), tokenClock };
    return { auth, fake, options, deps, elapsed: () => wall - now.getTime() };
  };

  it('renews each session with its refresh token before it expires, one renewal at a time', async () => {
    const { auth, fake, options, deps, elapsed } = setup();
    const report = await runSimulation({ ...options, signIn: auth.signIn, refresh: auth.refresh }, deps);
    expect(elapsed()).toBeGreaterThan(5 * 600_000);
    expect(report.decisions).toBe(200);
    expect(auth.signIns).toHaveLength(3);
    // The fake refuses a spent refresh token, so concurrent callers must have shared each renewal.
    expect(auth.refreshes.length).toBeGreaterThanOrEqual(3 * 5);
    expect(new Set(auth.refreshes).size).toBe(auth.refreshes.length);
    const ids = ['sim-long-u0', 'sim-long-u1', 'sim-long-u2'].map(auth.userIdOf);
    expect(new Set(report.records.map((r) => r.userId))).toEqual(new Set(ids));
    expect(fake.state.feedback.every((f) => ids.includes(f.userId))).toBe(true);
  });

  it('signs in again under the same name when there is no refresh', async () => {
    const { auth, options, deps } = setup();
    const report = await runSimulation({ ...options, signIn: auth.signIn }, deps);
    expect(report.decisions).toBe(200);
    expect(auth.signIns.length).toBeGreaterThan(3 * 5);
    expect(new Set(auth.signIns)).toEqual(new Set(['sim-long-u0', 'sim-long-u1', 'sim-long-u2']));
  });

  it('stops when a renewed session is someone else', async () => {
    const { auth, options, deps } = setup();
    const stranger = async (token: string) => ({ ...(await auth.refresh(token)), userId: 'someone-else' });
    await expect(runSimulation({ ...options, signIn: auth.signIn, refresh: stranger }, deps)).rejects.toThrow(/renewing the session of sim-long-u\d gave user someone-else/);
  });
});
