/**
 * Raw context features: the situation a decision is made in (time in the user's timezone and the
 * profile's features), turned into numbers the same way by ml-serving, learning and offline
 * evaluation.
 */

export type ContextFeatureStatus = 'fresh' | 'recomputed' | 'fallback';

/** One profile feature as the profile service returned it (or its registry fallback). */
export interface ContextFeatureInput {
  readonly name: string;
  readonly value: number | string;
  readonly status: ContextFeatureStatus;
}

/** Everything the context vector is computed from; also what a decision logs as its context. */
export interface DecisionContextInput {
  readonly features: readonly ContextFeatureInput[];
  readonly timezone: string;
  /** 0–23 in the user's timezone. */
  readonly localHour: number;
  /** 0 (Sunday) – 6 (Saturday) in the user's timezone. */
  readonly localWeekday: number;
}

export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening', 'night'] as const;

/** Names of the raw context features, in vector order. Append only. */
export const CONTEXT_FEATURES: readonly string[] = Object.freeze([
  ...TIMES_OF_DAY.map((t) => `tod_${t}`),
  'is_weekend',
  'completion_rate_30d',
  'dismiss_rate_30d',
  'near_preferred_hour',
  'tip_volume_30d',
]);

/** morning 6–11, afternoon 12–16, evening 17–21, night 22–5. */
export function timeOfDay(hour: number): (typeof TIMES_OF_DAY)[number] {
  if (hour >= 6 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 17) return 'afternoon';
  if (hour >= 17 && hour < 22) return 'evening';
  return 'night';
}

function numeric(context: DecisionContextInput, name: string, fallback: number): number {
  const found = context.features.find((f) => f.name === name);
  return found !== undefined && typeof found.value === 'number' && Number.isFinite(found.value) ? found.value : fallback;
}

/**
 * The raw context vector, in `CONTEXT_FEATURES` order. Profile features that are missing or not
 * numeric count as their neutral value, so a profile outage degrades to time-only context.
 *
 * @example
 * contextVector({ features, timezone: 'Europe/Berlin', localHour: 9, localWeekday: 1 });
 */
export function contextVector(context: DecisionContextInput): number[] {
  const tod = timeOfDay(context.localHour);
  const preferred = numeric(context, 'preferred_hour', -1);
  const distance = preferred < 0 ? 24 : Math.abs(preferred - context.localHour);
  const circular = Math.min(distance, 24 - distance);
  return [
    ...TIMES_OF_DAY.map((t) => (t === tod ? 1 : 0)),
    context.localWeekday === 0 || context.localWeekday === 6 ? 1 : 0,
    numeric(context, 'completion_rate_30d', 0),
    numeric(context, 'dismiss_rate_30d', 0),
    circular <= 1 ? 1 : 0,
    Math.min(numeric(context, 'tip_volume_30d', 0), 200) / 100,
  ];
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** True when the runtime knows the IANA timezone name. */
export function isTimezone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (f === undefined) {
    // Building a formatter costs ~50 µs; there are only a few hundred zones, so keep them all.
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timezone, f);
  }
  return f;
}

/**
 * Hour and weekday at `now` in an IANA timezone.
 *
 * @example
 * localTime('Asia/Tokyo', new Date('2026-01-05T00:30:00Z')); // { localHour: 9, localWeekday: 1 }
 */
export function localTime(timezone: string, now: Date): { localHour: number; localWeekday: number } {
  let hour = 0;
  let weekday = 0;
  for (const part of formatterFor(timezone).formatToParts(now)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
  }
  return { localHour: hour, localWeekday: weekday };
}
