// Todoist's item object (API v1, `POST /api/v1/sync`, resource type `items`) as oO reads it, and
// its translation into a NormalisedTask. Pure: no clock, no network, the time zone passed in.
import type { NormalisedTask, Priority, TaskChange } from '../connector';

/** `due` as Todoist sends it: `date` is `YYYY-MM-DD`, a floating `YYYY-MM-DDTHH:MM:SS[.ffffff]`, or the same in UTC with `Z`. */
export interface TodoistDue {
  date: string;
  timezone?: string | null;
  string?: string;
  lang?: string | null;
  is_recurring?: boolean;
}

export interface TodoistDuration {
  amount: number;
  unit: 'minute' | 'day';
}

/** The fields of a Todoist item oO uses; Todoist sends more. */
export interface TodoistItem {
  id: string;
  /** The title (markdown); Todoist sends it always, oO needs it only for a task it keeps. */
  content?: string;
  /** 1 (normal) … 4 (very urgent): the reverse of what Todoist's apps show as p1 … p4. */
  priority?: number;
  due?: TodoistDue | null;
  duration?: TodoistDuration | null;
  checked?: boolean;
  is_deleted?: boolean;
  added_at?: string | null;
  updated_at?: string | null;
}

const TASK_URL = 'https://app.todoist.com/app/task/';
const MINUTES_PER_DAY = 24 * 60;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A wall-clock reading with no zone attached; months 1…12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

// Date.UTC would quietly roll a 13th month or a 25th hour over into the next one.
const inRange = (w: Pick<WallTime, 'month' | 'day' | 'hour' | 'minute' | 'second'>) =>
  w.month >= 1 && w.month <= 12 && w.day >= 1 && w.day <= 31 && w.hour <= 23 && w.minute <= 59 && w.second <= 60;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds (whole seconds:
// Intl shows no milliseconds, so they are carried over from the instant itself).
function offsetAt(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/** True when `Intl` knows the IANA zone (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time names in an IANA zone. Around a DST change it decides as
 * Temporal's `compatible` does: a time the clocks skipped moves forward by the gap, a time that
 * happened twice is the earlier of the two.
 *
 * @example
 * zonedTimeToInstant({ year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0, millisecond: 0 }, 'Europe/Berlin');
 * // 2024-03-31T01:30:00.000Z, that is 03:30 CEST
 */
export function zonedTimeToInstant(wall: WallTime, timeZone: string): Date {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  const day = 24 * 60 * 60 * 1000;
  // No zone changes its offset twice within two days, so the offsets a day either side are the only candidates.
  const before = offsetAt(local - day, timeZone);
  const after = offsetAt(local + day, timeZone);
  const valid = [...new Set([before, after])].map((offset) => local - offset).filter((instant) => instant + offsetAt(instant, timeZone) === local);
  return new Date(valid.length > 0 ? Math.min(...valid) : local - before);
}

/**
 * oO's priority (1 most urgent … 4 normal) for Todoist's (4 very urgent … 1 normal).
 *
 * @example
 * priorityFromTodoist(4); // 1
 */
export function priorityFromTodoist(priority: number | undefined): Priority {
  switch (priority) {
    case 4:
      return 1;
    case 3:
      return 2;
    case 2:
      return 3;
    default:
      return 4;
  }
}

/**
 * When a Todoist due date falls. A date without a time is the start of that day, and a floating
 * time is read on the clock, in the due's own zone when it names one, else the user's; a time in
 * UTC stands as it is. A date that does not parse counts as no due date, so one odd task does not
 * stop the others from syncing.
 *
 * @example
 * dueFromTodoist({ date: '2025-03-30' }, 'Europe/Berlin'); // { dueAt: 2025-03-29T23:00:00.000Z, dueAllDay: true }
 */
export function dueFromTodoist(due: TodoistDue | null | undefined, userTimeZone: string): { dueAt: Date | null; dueAllDay: boolean } {
  if (!due || typeof due.date !== 'string') return { dueAt: null, dueAllDay: false };
  const zone = [due.timezone, userTimeZone].find((z): z is string => typeof z === 'string' && isTimeZone(z)) ?? 'UTC';
  const dateOnly = DATE_ONLY.exec(due.date);
  if (dateOnly) {
    const [year, month, day] = dateOnly.slice(1).map(Number) as [number, number, number];
    if (!inRange({ month, day, hour: 0, minute: 0, second: 0 })) return { dueAt: null, dueAllDay: false };
    return { dueAt: zonedTimeToInstant({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 }, zone), dueAllDay: true };
  }
  const dateTime = DATE_TIME.exec(due.date);
  if (!dateTime) return { dueAt: null, dueAllDay: false };
  const [year, month, day, hour, minute, second] = dateTime.slice(1, 7).map((n) => Number(n ?? 0)) as [number, number, number, number, number, number];
  if (!inRange({ month, day, hour, minute, second })) return { dueAt: null, dueAllDay: false };
  const millisecond = Number((dateTime[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = dateTime[8];
  const dueAt = offset ? new Date(due.date) : zonedTimeToInstant({ year, month, day, hour, minute, second, millisecond }, zone);
  return Number.isNaN(dueAt.getTime()) ? { dueAt: null, dueAllDay: false } : { dueAt, dueAllDay: false };
}

/**
 * The task's length in minutes. A length in days counts whole days of 24 hours: Todoist spans the
 * task over that many calendar days, and oO does not guess a working day.
 *
 * @example
 * minutesFromDuration({ amount: 2, unit: 'day' }); // 2880
 */
export function minutesFromDuration(duration: TodoistDuration | null | undefined): number | null {
  if (!duration || !Number.isFinite(duration.amount) || duration.amount <= 0) return null;
  if (duration.unit === 'minute') return Math.round(duration.amount);
  if (duration.unit === 'day') return Math.round(duration.amount * MINUTES_PER_DAY);
  return null;
}

function instantOrNull(value: string | null | undefined): Date | null {
  if (typeof value !== 'string') return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/**
 * What one synced Todoist item means for oO: a completed or deleted item leaves the candidates,
 * any other is upserted.
 *
 * @example
 * changeFromTodoistItem({ id: '6X7rM8997g3RQmvh', content: 'Buy milk', priority: 4, checked: false }, 'Europe/Berlin');
 * // { kind: 'upsert', task: { externalId: '6X7rM8997g3RQmvh', title: 'Buy milk', priority: 1, … } }
 */
export function changeFromTodoistItem(item: TodoistItem, userTimeZone: string): TaskChange {
  if (item.checked === true || item.is_deleted === true) return { kind: 'delete', externalId: item.id };
  const task: NormalisedTask = {
    externalId: item.id,
    title: item.content ?? '',
    priority: priorityFromTodoist(item.priority),
    ...dueFromTodoist(item.due, userTimeZone),
    createdAt: instantOrNull(item.added_at),
    updatedAt: instantOrNull(item.updated_at),
    url: `${TASK_URL}${encodeURIComponent(item.id)}`,
    estimatedMinutes: minutesFromDuration(item.duration),
  };
  return { kind: 'upsert', task };
}
