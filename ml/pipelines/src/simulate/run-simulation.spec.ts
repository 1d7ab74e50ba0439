import { generateKeyPair, type CryptoKey } from 'jose';
import { createFakeAuth } from '../../test/support/fake-auth';
import { createFakeServices, FAKE_ADVICE } from '../../test/support/fake-services';
import { runSimulation, type SimulationOptions } from './run-simulation';
import { formatSimulationReport } from './simulation-report';

describe('a simulation against in-process fake services', () => {
  const now = new Date('2026-03-11T15:30:00Z');
  let keys: { publicKey: CryptoKey; privateKey: CryptoKey };
  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
  });

  const run = async (overrides: Partial<SimulationOptions> = {}) => {
    const auth = createFakeAuth({ privateKey: keys.privateKey, issuer: 'urn:oo:sim-test' });
    const fake = createFakeServices({ publicKey: keys.publicKey, issuer: 'urn:oo:sim-test', now: () => now, noTipEvery: 25, fallbackEvery: 10 });
    const options: SimulationOptions = {
      decisions: 300, users: 6, window: 100, seed: 3, runId: 'unit', recommenderUrl: 'http://rec', profileUrl: 'http://prof',
      signIn: auth.signIn, refresh: auth.refresh, ...overrides,
    };
    const report = await runSimulation(options, { now: () => now, fetch: fake.fetch, sync: fake.sync() });
    return { auth, fake, report };
  };

  let baseline: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    baseline = await run();
  });

  it('signs every user in once under a name from the run, and from then on is auth\'s user id everywhere', () => {
    const { auth, fake, report } = baseline;
    const names = Array.from({ length: 6 }, (_, i) => `sim-unit-u${i}`);
    const ids = names.map(auth.userIdOf);
    expect([...auth.signIns].sort()).toEqual(names);
    expect(auth.refreshes).toEqual([]);
    // The fake answers 403 to a preferences URL that is not the token's subject.
    expect(fake.state.preferences.map((p) => p.userId).sort()).toEqual([...ids].sort());
    expect(fake.state.preferences.every((p) => p.subject === p.userId)).toBe(true);
    expect(fake.state.preferences.find((p) => p.userId === ids[0])?.body).toEqual({ timezone: 'Pacific/Honolulu', channels: ['in_app'], tipCadence: 'normal' });
    // Task events are filed under the same ids, with task ids from the names.
    expect([...fake.state.tasks.keys()].sort()).toEqual([...ids].sort());
    expect([...(fake.state.tasks.get(ids[2] as string)?.keys() ?? [])].every((t) => t.startsWith('sim-unit-u2-t'))).toBe(true);
    expect(new Set(report.records.map((r) => r.userId))).toEqual(new Set(ids));
    expect(fake.state.feedback.every((f) => ids.includes(f.userId))).toBe(true);
  });

  it('sets up every user with a timezone of their own and hands their tasks to the recommender', () => {
    const { fake, report } = baseline;
    expect(new Set(fake.state.timezones.values()).size).toBe(6);
    const published = [...fake.state.tasks.values()].reduce((n, t) => n + t.size, 0);
    expect(report).toMatchObject({ tasks: published, adviceItems: FAKE_ADVICE.length, sync: { preferences: 'applied', tasks: 'applied' } });
  });

  it('values every tip under the hidden world, never above the oracle, and reports what the services saw', () => {
    const { fake, report } = baseline;
    const tips = report.records.filter((r) => r.outcome === 'tip');
    expect(report.counts).toMatchObject({ tips: 288, noTip: 12, unknownTips: 0, unexpectedTips: 0 });
    for (const r of tips) {
      expect(r.oracle as number).toBeGreaterThanOrEqual(r.expected as number);
      expect(r.expected as number).toBeGreaterThan(0);
    }
    // Feedback went to the decisions it belongs to, and silence sent nothing.
    expect(fake.state.feedback).toHaveLength(report.counts.feedbackSent);
    expect(report.counts.reactions.none).toBe(tips.length - report.counts.feedbackSent);
    const realized = (fake.state.feedback.filter((f) => f.reaction === 'done').length + 0.25 * fake.state.feedback.filter((f) => f.reaction === 'snooze').length) / tips.length;
    expect(report.summary.overall.realized).toBeCloseTo(realized, 12);
    const flagged = [...fake.state.decisions.values()].filter((d) => d.fallback).length;
    expect(flagged).toBeGreaterThan(0);
    expect(report.summary.overall.fallbackShare).toBeCloseTo(flagged / 288, 12);
    expect(report.windows.map((w) => [w.from, w.to])).toEqual([[1, 100], [101, 200], [201, 300]]);
  });

  it("learns something the curve shows: the fake's ε-greedy beats its own first window", async () => {
    const { report } = await run({ decisions: 600, window: 200 });
    const { first, last } = report.summary;
    expect(last.expected as number).toBeGreaterThan(first.expected as number);
    expect(last.gapClosed as number).toBeGreaterThan(0);
  });

  it('replays the same users, reactions and curve for the same seed, with any concurrency', async () => {
    const a = baseline;
    const b = await run({ concurrency: 4 });
    const key = (r: (typeof a.report.records)[number]) => `${r.index}:${r.userId}`;
    expect(b.report.records.map(key)).toEqual(a.report.records.map(key));
    const c = await run({ seed: 4 });
    expect(c.report.records.map(key)).not.toEqual(a.report.records.map(key));
  });

  it('prints the learning curve one window per line, then the summary', () => {
    const lines = formatSimulationReport(baseline.report).split('\n');
    expect(lines[0]).toBe('Simulated 300 decisions for 6 users against http://rec (run unit, seed 3).');
    expect(lines[5]).toMatch(/^decisions\s+tips\s+realized\s+expected\s+oracle\s+uniform\s+gap closed\s+fallback$/);
    expect(lines.slice(6, 9).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([['1–100', '96'], ['101–200', '96'], ['201–300', '96']]);
    expect(lines[10]).toMatch(/^first window: expected 0\.\d{3} \(-?\d+ % of the uniform→oracle gap\); last window: 0\.\d{3}/);
  });

  it("stops with the service's answer when a call fails", async () => {
    const fake = createFakeServices({ publicKey: keys.publicKey, issuer: 'urn:oo:other-issuer', now: () => now });
    const auth = createFakeAuth({ privateKey: keys.privateKey, issuer: 'urn:oo:sim-test' });
    await expect(
      runSimulation({ decisions: 5, users: 2, window: 5, seed: 1, recommenderUrl: 'http://rec', profileUrl: 'http://prof', signIn: auth.signIn }, { fetch: fake.fetch, sync: fake.sync() }),
    ).rejects.toThrow(/GET http:\/\/rec\/v1\/advice answered 401/);
  });

  it('stops, naming the user, when a sign-in fails', async () => {
    const fake = createFakeServices({ publicKey: keys.publicKey, issuer: 'urn:oo:sim-test', now: () => now });
    const signIn = async (name: string) => {
      throw new Error(`POST /v1/auth/token answered 400: no ${name}`);
    };
    await expect(
      runSimulation({ decisions: 5, users: 2, window: 5, seed: 1, runId: 'x', recommenderUrl: 'http://rec', profileUrl: 'http://prof', signIn }, { fetch: fake.fetch, sync: fake.sync() }),
    ).rejects.toThrow(/signing in sim-x-u0 failed: POST \/v1\/auth\/token answered 400/);
  });
});
