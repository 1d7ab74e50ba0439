import { quietUntil } from './quiet-hours';
import { localMinuteOfDay, offsetMinutes } from './zone-clock';

describe('quiet hours in the user’s time zone', () => {
  it('is outside a window spanning midnight during the day, inside it at night', () => {
    expect(quietUntil(new Date('2026-12-02T12:00:00Z'), 'Europe/Berlin', '22:00', '07:00')).toBeNull();
    expect(quietUntil(new Date('2026-12-02T22:30:00Z'), 'Europe/Berlin', '22:00', '07:00')).toEqual(new Date('2026-12-03T06:00:00Z'));
    expect(quietUntil(new Date('2026-12-03T05:59:00Z'), 'Europe/Berlin', '22:00', '07:00')).toEqual(new Date('2026-12-03T06:00:00Z'));
    expect(quietUntil(new Date('2026-12-03T06:00:00Z'), 'Europe/Berlin', '22:00', '07:00')).toBeNull();
  });

  it('keeps the wall-clock end across the spring-forward night (Berlin, 29 March 2026)', () => {
    // 23:00 CET on the 28th; the clocks jump 02:00 → 03:00; 07:00 CEST is 05:00 UTC.
    expect(quietUntil(new Date('2026-03-28T22:00:00Z'), 'Europe/Berlin', '22:00', '07:00')).toEqual(new Date('2026-03-29T05:00:00Z'));
  });

  it('keeps the wall-clock end across the fall-back night (New York, 1 November 2026)', () => {
    // 23:00 EDT on 31 October is 03:00 UTC; 07:00 EST on 1 November is 12:00 UTC.
    expect(quietUntil(new Date('2026-11-01T03:00:00Z'), 'America/New_York', '22:00', '07:00')).toEqual(new Date('2026-11-01T12:00:00Z'));
  });

  it('handles a window within one day and no window at all', () => {
    expect(quietUntil(new Date('2026-12-02T12:30:00Z'), 'UTC', '12:00', '14:00')).toEqual(new Date('2026-12-02T14:00:00Z'));
    expect(quietUntil(new Date('2026-12-02T12:30:00Z'), 'UTC', null, null)).toBeNull();
    expect(quietUntil(new Date('2026-12-02T12:30:00Z'), 'UTC', '12:00', '12:00')).toBeNull();
  });

  it('reads the zone’s offset and wall clock', () => {
    expect(offsetMinutes(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(new Date('2026-12-01T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(localMinuteOfDay(new Date('2026-12-01T12:00:00Z'), 'Asia/Kolkata')).toBe(17 * 60 + 30);
  });
});
