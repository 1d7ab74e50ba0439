import { isEmptyPlan, planKeys, signingKidAt, type KeyPolicy } from './key-schedule';
import type { SigningKeySchedule } from './signing-key.repository';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const policy: KeyPolicy = { rotationMs: 30 * DAY, publishAheadMs: HOUR, retainAfterRetirementMs: 12 * 60_000 };
const t0 = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const key = (kid: string, createdAt: Date, signsFrom: Date, retiredAt: Date | null = null, expiresAt: Date | null = null): SigningKeySchedule => ({ kid, createdAt, signsFrom, retiredAt, expiresAt });

describe('planKeys', () => {
  it('makes a first key that signs at once and a next one a rotation later', () => {
    const plan = planKeys([], t0, policy);
    expect(plan.create).toEqual([{ signsFrom: t0 }, { signsFrom: at(30 * DAY) }]);
    expect(plan.retire).toEqual([]);
  });

  it('changes nothing while the signing key has a published successor', () => {
    expect(isEmptyPlan(planKeys([key('a', t0, t0), key('b', t0, at(30 * DAY))], at(DAY), policy))).toBe(true);
  });

  it('retires the old key when the next took over and keeps it until its tokens expired', () => {
    const plan = planKeys([key('a', t0, t0), key('b', t0, at(30 * DAY))], at(30 * DAY + 5_000), policy);
    expect(plan.retire).toEqual([{ kid: 'a', retiredAt: at(30 * DAY), expiresAt: at(30 * DAY + 12 * 60_000) }]);
    expect(plan.create).toEqual([{ signsFrom: at(60 * DAY) }]);
  });

  it('publishes a new next key at least PUBLISH_AHEAD before it signs, even after a long outage', () => {
    const now = at(70 * DAY);
    const plan = planKeys([key('b', t0, at(30 * DAY))], now, policy);
    expect(plan.create).toEqual([{ signsFrom: at(70 * DAY + HOUR) }]);
  });

  it('on a forced rotation starts the next key now and retires the current one now', () => {
    const now = at(DAY);
    const plan = planKeys([key('a', t0, t0), key('b', t0, at(30 * DAY))], now, policy, { force: true });
    expect(plan.startNow).toEqual(['b']);
    expect(plan.retire).toEqual([{ kid: 'a', retiredAt: now, expiresAt: at(DAY + 12 * 60_000) }]);
    expect(plan.create).toEqual([{ signsFrom: at(31 * DAY) }]);
  });

  it('removes keys past expires_at', () => {
    const plan = planKeys([key('a', t0, t0, at(HOUR), at(2 * HOUR)), key('b', t0, at(HOUR)), key('c', at(HOUR), at(31 * DAY))], at(3 * HOUR), policy);
    expect(plan.remove).toEqual(['a']);
    expect(plan.create).toEqual([]);
  });
});

describe('signingKidAt', () => {
  it('hands over at signs_from, between checks too', () => {
    const keys = [key('a', t0, t0), key('b', t0, at(HOUR))];
    expect(signingKidAt(keys, at(HOUR - 1))).toBe('a');
    expect(signingKidAt(keys, at(HOUR))).toBe('b');
  });

  it('never picks a retired key', () => {
    expect(signingKidAt([key('a', t0, t0, at(HOUR), at(2 * HOUR))], at(HOUR))).toBeUndefined();
  });
});
