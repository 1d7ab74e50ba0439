import { atWallClock, localDate, localMinuteOfDay, quietUntil } from '@oo/wall-clock';

/** How often a user wants tips (profile's `tip_cadence`). */
export type Cadence = 'off' | 'low' | 'normal' | 'high';

// Hours after the user's preferred hour at which each cadence nudges: one slot a day for `low`,
// the preferred hour and the afternoon after it for `normal`, every three hours of a working
// stretch for `high`.
const CADENCE_OFFSETS: Record<Cadence, readonly number[]> = { off: [], low: [0], normal: [0, 6], high: [0, 3, 6] };

const HOUR_MS = 3_600_000;
/** The longest a user goes unchecked: the profile's preferred hour moves as it learns. */
export const MAX_CHECK_GAP_MS = 6 * HOUR_MS;

/** What decides a user's slots. */
export interface NudgePlan {
  timezone: string;
  cadence: string;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  /** 0–23 on the user's wall clock. */
  preferredHour: number;
}

/** One hour on the user's wall clock in which the scheduler may nudge once. */
export interface Slot {
  /** `YYYY-MM-DDTHH` on the user's wall clock: with the user id, the key of one run. */
  key: string;
  /** The end of the hour: after it the nudge is stale (`not_after`). */
  endsAt: Date;
}

/** The local hours a cadence nudges at, from the preferred hour, in day order. */
export function slotHours(cadence: string, preferredHour: number): number[] {
  const offsets = CADENCE_OFFSETS[cadence as Cadence] ?? [];
  return [...new Set(offsets.map((o) => (preferredHour + o) % 24))].sort((a, b) => a - b);
}

/**
 * The slot `now` falls in, or null when this hour is not one of the user's or it is inside their
 * quiet hours.
 *
 * @example
 * currentSlot(new Date('2026-12-03T08:20:00Z'), { timezone: 'Europe/Berlin', cadence: 'low', quietHoursStart: null, quietHoursEnd: null, preferredHour: 9 })
 * // { key: '2026-12-03T09', endsAt: 2026-12-03T09:00:00Z }
 */
export function currentSlot(now: Date, plan: NudgePlan): Slot | null {
  const hour = Math.floor(localMinuteOfDay(now, plan.timezone) / 60);
  if (!slotHours(plan.cadence, plan.preferredHour).includes(hour)) return null;
  if (quietUntil(now, plan.timezone, plan.quietHoursStart, plan.quietHoursEnd)) return null;
  return { key: `${localDate(now, plan.timezone)}T${String(hour).padStart(2, '0')}`, endsAt: atWallClock(now, plan.timezone, (hour + 1) * 60) };
}

/**
 * When to look at the user again: the start of their next slot outside quiet hours, but never
 * later than `MAX_CHECK_GAP_MS` from now.
 *
 * @example
 * nextCheckAt(new Date('2026-12-03T08:20:00Z'), plan) // the next slot's start, or six hours on
 */
export function nextCheckAt(now: Date, plan: NudgePlan): Date {
  const latest = new Date(now.getTime() + MAX_CHECK_GAP_MS);
  for (let day = 0; day <= 1; day++) {
    for (const hour of slotHours(plan.cadence, plan.preferredHour)) {
      const start = atWallClock(now, plan.timezone, hour * 60, day);
      if (start <= now || start >= latest) continue;
      if (!quietUntil(start, plan.timezone, plan.quietHoursStart, plan.quietHoursEnd)) return start;
    }
  }
  return latest;
}
