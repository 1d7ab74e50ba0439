import { currentSlot, nextCheckAt, slotHours, type NudgePlan } from './nudge-slots';

const berlin = (over: Partial<NudgePlan> = {}): NudgePlan => ({ timezone: 'Europe/Berlin', cadence: 'normal', quietHoursStart: null, quietHoursEnd: null, preferredHour: 9, ...over });

describe('nudge slots', () => {
  it('derives the hours from the cadence and the preferred hour, wrapping past midnight', () => {
    expect(slotHours('off', 9)).toEqual([]);
    expect(slotHours('low', 9)).toEqual([9]);
    expect(slotHours('normal', 9)).toEqual([9, 15]);
    expect(slotHours('high', 22)).toEqual([1, 4, 22]);
    expect(slotHours('unknown', 9)).toEqual([]);
  });

  it('finds the slot of the hour on the user’s wall clock, with the hour’s end as its deadline', () => {
    expect(currentSlot(new Date('2026-12-03T08:20:00Z'), berlin())).toEqual({ key: '2026-12-03T09', endsAt: new Date('2026-12-03T09:00:00Z') });
    expect(currentSlot(new Date('2026-12-03T14:59:00Z'), berlin())).toEqual({ key: '2026-12-03T15', endsAt: new Date('2026-12-03T15:00:00Z') });
    expect(currentSlot(new Date('2026-12-03T09:00:00Z'), berlin())).toBeNull();
    expect(currentSlot(new Date('2026-12-03T08:20:00Z'), berlin({ cadence: 'off' }))).toBeNull();
  });

  it('keeps the slot on the wall clock across daylight saving (Berlin, 29 March 2026)', () => {
    expect(currentSlot(new Date('2026-03-28T08:30:00Z'), berlin({ cadence: 'low' }))?.key).toBe('2026-03-28T09');
    expect(currentSlot(new Date('2026-03-29T07:30:00Z'), berlin({ cadence: 'low' }))?.key).toBe('2026-03-29T09');
    expect(currentSlot(new Date('2026-03-29T08:30:00Z'), berlin({ cadence: 'low' }))).toBeNull();
  });

  it('does not nudge inside quiet hours, and plans the next check past them', () => {
    const night = berlin({ cadence: 'high', preferredHour: 20, quietHoursStart: '22:00', quietHoursEnd: '07:00' });
    expect(slotHours('high', 20)).toEqual([2, 20, 23]);
    expect(currentSlot(new Date('2026-12-03T22:10:00Z'), night)).toBeNull(); // 23:10 local, quiet
    // From 21:30 local the 23:00 and 02:00 slots are quiet; the six-hour cap comes first.
    expect(nextCheckAt(new Date('2026-12-03T20:30:00Z'), night)).toEqual(new Date('2026-12-04T02:30:00Z'));
    // From 08:00 local the next is 20:00 local, beyond six hours: the cap.
    expect(nextCheckAt(new Date('2026-12-04T07:00:00Z'), night)).toEqual(new Date('2026-12-04T13:00:00Z'));
  });

  it('plans the next check at the next slot’s start', () => {
    expect(nextCheckAt(new Date('2026-12-03T06:30:00Z'), berlin())).toEqual(new Date('2026-12-03T08:00:00Z'));
    expect(nextCheckAt(new Date('2026-12-03T08:30:00Z'), berlin())).toEqual(new Date('2026-12-03T14:00:00Z'));
    expect(nextCheckAt(new Date('2026-12-03T22:00:00Z'), berlin({ cadence: 'low', preferredHour: 0 }))).toEqual(new Date('2026-12-03T23:00:00Z'));
  });
});
