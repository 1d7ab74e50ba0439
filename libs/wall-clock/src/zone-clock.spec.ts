import { atWallClock, localDate } from './zone-clock';

describe('the wall clock in a zone', () => {
  it('names the local date, which may differ from the UTC date', () => {
    expect(localDate(new Date('2026-12-03T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-12-04');
    expect(localDate(new Date('2026-12-03T02:00:00Z'), 'America/Los_Angeles')).toBe('2026-12-02');
  });

  it('finds the instant of a wall-clock time today, tomorrow, and past midnight', () => {
    const noon = new Date('2026-12-03T12:00:00Z');
    expect(atWallClock(noon, 'Europe/Berlin', 9 * 60)).toEqual(new Date('2026-12-03T08:00:00Z'));
    expect(atWallClock(noon, 'Europe/Berlin', 9 * 60, 1)).toEqual(new Date('2026-12-04T08:00:00Z'));
    expect(atWallClock(noon, 'Europe/Berlin', 24 * 60)).toEqual(new Date('2026-12-03T23:00:00Z'));
    expect(atWallClock(noon, 'Asia/Kolkata', 17 * 60 + 30)).toEqual(noon);
  });

  it('keeps the wall-clock hour across daylight saving changes', () => {
    // Berlin springs forward on 29 March 2026: 09:00 is 08:00 UTC the day before, 07:00 UTC that day.
    expect(atWallClock(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin', 9 * 60)).toEqual(new Date('2026-03-28T08:00:00Z'));
    expect(atWallClock(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin', 9 * 60, 1)).toEqual(new Date('2026-03-29T07:00:00Z'));
    // New York falls back on 1 November 2026: 09:00 EST is 14:00 UTC.
    expect(atWallClock(new Date('2026-10-31T20:00:00Z'), 'America/New_York', 9 * 60, 1)).toEqual(new Date('2026-11-01T14:00:00Z'));
  });

  it('moves a time the spring-forward skips to an hour later on the clock', () => {
    // 02:30 does not exist in Berlin on 29 March 2026; 03:30 CEST is 01:30 UTC.
    expect(atWallClock(new Date('2026-03-29T12:00:00Z'), 'Europe/Berlin', 2 * 60 + 30)).toEqual(new Date('2026-03-29T01:30:00Z'));
  });
});
