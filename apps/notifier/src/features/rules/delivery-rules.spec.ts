import { evaluateRules, type RuleInputs } from './delivery-rules';

const now = new Date('2026-12-02T12:00:00Z');
const prefs = { timezone: 'Europe/Berlin', quietStart: '22:00', quietEnd: '07:00', channels: ['in_app', 'push', 'email'] };
const base: RuleInputs = {
  now,
  notAfter: new Date('2026-12-02T15:00:00Z'),
  requested: ['push', 'email'],
  preferences: prefs,
  consents: new Map([['push_notifications', true], ['email_notifications', true]]),
  optedOut: new Set(),
  destinations: { push: true, email: true },
  duplicate: false,
  deliveredInWindow: 0,
  fatigueCap: 3,
};

describe('delivery rules', () => {
  it('sends on every allowed, reachable channel in the requested order', () => {
    expect(evaluateRules(base)).toEqual({ action: 'send', channels: ['push', 'email'] });
  });

  it('leaves out a channel that is disabled, not consented, withdrawn or unsubscribed', () => {
    expect(evaluateRules({ ...base, preferences: { ...prefs, channels: ['email'] } })).toEqual({ action: 'send', channels: ['email'] });
    expect(evaluateRules({ ...base, consents: new Map([['push_notifications', false], ['email_notifications', true]]) })).toEqual({ action: 'send', channels: ['email'] });
    expect(evaluateRules({ ...base, optedOut: new Set(['email']) })).toEqual({ action: 'send', channels: ['push'] });
    expect(evaluateRules({ ...base, consents: new Map() })).toMatchObject({ action: 'drop', reason: 'no_channel' });
    expect(evaluateRules({ ...base, preferences: undefined })).toMatchObject({ action: 'drop', reason: 'no_channel' });
  });

  it('drops what cannot reach the user, what is stale, duplicated or over the cap', () => {
    expect(evaluateRules({ ...base, destinations: { push: false, email: false } })).toMatchObject({ action: 'drop', reason: 'no_destination' });
    expect(evaluateRules({ ...base, notAfter: now })).toMatchObject({ action: 'drop', reason: 'stale' });
    expect(evaluateRules({ ...base, duplicate: true })).toMatchObject({ action: 'drop', reason: 'duplicate' });
    expect(evaluateRules({ ...base, deliveredInWindow: 3 })).toMatchObject({ action: 'drop', reason: 'fatigue_cap' });
  });

  it('defers to the end of quiet hours when that is still in time, else drops it as stale', () => {
    const night = new Date('2026-12-02T22:30:00Z'); // 23:30 in Berlin
    expect(evaluateRules({ ...base, now: night, notAfter: new Date('2026-12-03T09:00:00Z') })).toEqual({ action: 'defer', until: new Date('2026-12-03T06:00:00Z'), channels: ['push', 'email'] });
    expect(evaluateRules({ ...base, now: night, notAfter: new Date('2026-12-03T05:00:00Z') })).toMatchObject({ action: 'drop', reason: 'stale' });
  });
});
