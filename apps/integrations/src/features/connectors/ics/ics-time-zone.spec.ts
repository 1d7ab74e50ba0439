import { isKnownTimeZone, startOfDay, utcOffsetMs, wallClockToInstant } from './ics-time-zone';

const iso = (date: Date) => date.toISOString();

describe('wallClockToInstant', () => {
  it('reads an ordinary time with the offset of that day', () => {
    expect(iso(wallClockToInstant({ year: 2025, month: 1, day: 15, hour: 9 }, 'Europe/Berlin'))).toBe('2025-01-15T08:00:00.000Z');
    expect(iso(wallClockToInstant({ year: 2025, month: 7, day: 15, hour: 9 }, 'Europe/Berlin'))).toBe('2025-07-15T07:00:00.000Z');
    expect(iso(wallClockToInstant({ year: 2025, month: 7, day: 15, hour: 9, minute: 30, second: 15 }, 'Asia/Kolkata'))).toBe('2025-07-15T04:00:15.000Z');
  });

  it('reads the hours either side of a change to summer time', () => {
    expect(iso(wallClockToInstant({ year: 2025, month: 3, day: 30, hour: 1, minute: 59 }, 'Europe/Berlin'))).toBe('2025-03-30T00:59:00.000Z');
    expect(iso(wallClockToInstant({ year: 2025, month: 3, day: 30, hour: 3 }, 'Europe/Berlin'))).toBe('2025-03-30T01:00:00.000Z');
  });

  it('reads a time the clocks skip with the offset before the gap (RFC 5545 §3.3.5)', () => {
    expect(iso(wallClockToInstant({ year: 2025, month: 3, day: 30, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe('2025-03-30T01:30:00.000Z');
    expect(iso(wallClockToInstant({ year: 2025, month: 3, day: 9, hour: 2, minute: 30 }, 'America/New_York'))).toBe('2025-03-09T07:30:00.000Z');
  });

  it('reads a time that occurs twice as its first occurrence', () => {
    expect(iso(wallClockToInstant({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe('2025-10-26T00:30:00.000Z');
    expect(iso(wallClockToInstant({ year: 2025, month: 11, day: 2, hour: 1, minute: 30 }, 'America/New_York'))).toBe('2025-11-02T05:30:00.000Z');
  });

  it('handles the southern hemisphere and zones with half-hour shifts', () => {
    expect(iso(wallClockToInstant({ year: 2025, month: 4, day: 6, hour: 2, minute: 30 }, 'Australia/Sydney'))).toBe('2025-04-05T15:30:00.000Z');
    expect(iso(wallClockToInstant({ year: 2025, month: 4, day: 6, hour: 1, minute: 45 }, 'Australia/Lord_Howe'))).toBe('2025-04-05T14:45:00.000Z');
  });
});

describe('startOfDay', () => {
  it('is local midnight', () => {
    expect(iso(startOfDay({ year: 2025, month: 3, day: 30 }, 'America/New_York'))).toBe('2025-03-30T04:00:00.000Z');
    expect(iso(startOfDay({ year: 2025, month: 3, day: 30 }, 'UTC'))).toBe('2025-03-30T00:00:00.000Z');
  });

  it('is the first moment after a DST jump at midnight', () => {
    // Santiago moved its clocks from 00:00 to 01:00 on 2024-09-08.
    expect(iso(startOfDay({ year: 2024, month: 9, day: 8 }, 'America/Santiago'))).toBe('2024-09-08T04:00:00.000Z');
  });
});

describe('utcOffsetMs and isKnownTimeZone', () => {
  it('gives the offset at an instant, and knows IANA names only', () => {
    expect(utcOffsetMs('America/New_York', Date.parse('2025-01-01T12:00:00.250Z'))).toBe(-5 * 3_600_000);
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => utcOffsetMs('Mars/Olympus_Mons', 0)).toThrow(RangeError);
  });
});
