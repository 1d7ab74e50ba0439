import { formatDuration, parseBaseUrl, parseDuration, parseInteger, parseRewards, parseSince, UsageError } from './cli-args';

describe('command-line values', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('reads durations in ms, s, m, h and d', () => {
    expect(parseDuration('1500ms', '--x')).toBe(1500);
    expect(parseDuration('90s', '--x')).toBe(90_000);
    expect(parseDuration('30m', '--x')).toBe(1_800_000);
    expect(parseDuration('24h', '--x')).toBe(86_400_000);
    expect(parseDuration('1.5d', '--x')).toBe(129_600_000);
    expect(() => parseDuration('24', '--reward-window')).toThrow(/--reward-window must be a duration/);
    expect(() => parseDuration('soon', '--x')).toThrow(UsageError);
  });

  it('reads --since as an ISO time or a duration back from now', () => {
    expect(parseSince('7d', now).toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(parseSince('24h', now).toISOString()).toBe('2026-03-09T12:00:00.000Z');
    expect(parseSince('2026-03-01T08:30:00Z', now).toISOString()).toBe('2026-03-01T08:30:00.000Z');
    expect(parseSince('2026-03-01', now).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(() => parseSince('yesterday', now)).toThrow(/--since must be an ISO time/);
    expect(() => parseSince('2026-13-45', now)).toThrow(UsageError);
  });

  it('reads reward overrides and keeps the defaults for the rest', () => {
    expect(parseRewards('snooze=0.5,none=-0.1')).toEqual({ done: 1, snooze: 0.5, dismiss: 0, none: -0.1 });
    expect(() => parseRewards('maybe=1')).toThrow(/reaction=value pairs/);
    expect(() => parseRewards('done=')).toThrow(UsageError);
    expect(() => parseRewards('done=lots')).toThrow(UsageError);
  });

  it('reads bounded integers and base URLs', () => {
    expect(parseInteger('40', '--users', { min: 1 })).toBe(40);
    expect(() => parseInteger('0', '--users', { min: 1 })).toThrow('--users must be an integer ≥ 1 (got "0")');
    expect(() => parseInteger('2.5', '--seed', { min: 0, max: 10 })).toThrow('--seed must be an integer between 0 and 10');
    expect(parseBaseUrl('http://localhost:8084/', '--recommender')).toBe('http://localhost:8084');
    expect(() => parseBaseUrl('localhost:8084', '--recommender')).toThrow(/--recommender must be an http\(s\) URL/);
  });

  it('prints durations in their shortest exact unit', () => {
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(3 * 3_600_000)).toBe('3h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1_500)).toBe('1500ms');
  });
});
