import type { NormalisedTask, TaskChange } from '../connector';

/** A task as the Google Tasks API v1 answers it (`tasks#task`); only the fields oO reads. */
export interface GoogleTask {
  id: string;
  title?: string;
  status?: 'needsAction' | 'completed';
  /** RFC 3339, but only its date counts: Google discards the time and answers UTC midnight. */
  due?: string;
  completed?: string;
  deleted?: boolean;
  /** Completed and then cleared from the list (the web UI and the apps hide what they complete). */
  hidden?: boolean;
  updated?: string;
  webViewLink?: string;
  notes?: string;
  parent?: string;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * What one Google task means for oO: an open task is an upsert; a completed, hidden or deleted one
 * is a delete (the recommender only wants what is still to do).
 *
 * @example
 * googleTaskChange({ id: 'a1', title: 'Call Ada', status: 'needsAction', due: '2025-03-30T00:00:00.000Z' }, 'Europe/Berlin')
 * // { kind: 'upsert', task: { externalId: 'a1', dueAt: 2025-03-29T23:00:00.000Z, dueAllDay: true, … } }
 */
export function googleTaskChange(task: GoogleTask, timeZone: string): TaskChange {
  if (task.deleted || task.hidden || task.status === 'completed') return { kind: 'delete', externalId: task.id };
  return { kind: 'upsert', task: normaliseGoogleTask(task, timeZone) };
}

/**
 * A Google task on oO's one task shape. Google has no priority, no creation time and no estimate.
 *
 * @example
 * normaliseGoogleTask({ id: 'a1', title: 'Call Ada' }, 'UTC').priority // 4
 */
export function normaliseGoogleTask(task: GoogleTask, timeZone: string): NormalisedTask {
  const dueDate = task.due ? DATE_ONLY.exec(task.due) : null;
  return {
    externalId: task.id,
    title: task.title ?? '',
    priority: 4,
    dueAt: dueDate ? startOfDayIn(dueDate[0], timeZone) : null,
    dueAllDay: dueDate !== null,
    createdAt: null,
    updatedAt: parseInstant(task.updated),
    url: task.webViewLink ?? '',
    estimatedMinutes: null,
  };
}

/**
 * The first instant of a calendar date in an IANA time zone: local midnight, or where midnight
 * does not exist that day (a DST jump at 00:00), the first moment after the jump.
 *
 * @example
 * startOfDayIn('2025-03-30', 'Europe/Berlin') // 2025-03-29T23:00:00.000Z
 */
export function startOfDayIn(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(year, month - 1, day);
  // The day's start lies within ±14 h of UTC midnight; the offsets in force around it are the
  // only candidates, and the earliest one that lands on the date itself is the start.
  const offsets = new Set([-14, 0, 14].map((hours) => offsetMs(utcMidnight + hours * 3_600_000, timeZone)));
  const candidates = [...offsets].map((offset) => utcMidnight - offset).filter((instant) => localDate(instant, timeZone) === date);
  return new Date(candidates.length > 0 ? Math.min(...candidates) : utcMidnight - offsetMs(utcMidnight, timeZone));
}

function parseInstant(value: string | undefined): Date | null {
  if (!value) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(instant: number, timeZone: string): Record<string, number> {
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
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return parts;
}

function offsetMs(instant: number, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  const wallClock = Date.UTC(p['year'] ?? 0, (p['month'] ?? 1) - 1, p['day'] ?? 1, p['hour'] ?? 0, p['minute'] ?? 0, p['second'] ?? 0);
  return wallClock - Math.floor(instant / 1000) * 1000;
}

function localDate(instant: number, timeZone: string): string {
  const p = partsIn(instant, timeZone);
  const pad = (n: number | undefined, width: number) => String(n ?? 0).padStart(width, '0');
  return `${pad(p['year'], 4)}-${pad(p['month'], 2)}-${pad(p['day'], 2)}`;
}
