import ICAL from 'ical.js';
import type { BusyInterval } from '../connector';
import { componentsByUid, hasStatus, icsInstant, newestOf, textOf, tzidOf, type IcalComponent, type IcalTime } from './ics-calendar';
import { fastForwardStart } from './ics-recurrence';

/** How the events of a feed become busy times. */
export interface BusyWindow {
  now: Date;
  /** Busy times overlapping [now, now + horizonDays] are kept. */
  horizonDays: number;
  /** The user's zone, for floating times and all-day events. */
  timeZone: string;
  /** Busy times one event contributes at most; default 500. */
  maxOccurrences?: number;
}

/**
 * Recurrences are walked from their first occurrence unless the rule allows a shortcut (see
 * fastForwardStart): most RRULEs cannot be entered midway without changing what they mean. This
 * bounds the work one event can cause; a series that needs more steps to reach the window (say an
 * hourly one from years ago) contributes nothing.
 */
export const MAX_RECURRENCE_STEPS = 10_000;
const DAY_MS = 86_400_000;

/**
 * The busy times of a feed's VEVENTs within the window: recurrences expanded by ical.js (RRULE,
 * RDATE, EXDATE, RECURRENCE-ID overrides, RANGE=THISANDFUTURE), with cancelled and transparent
 * ("free") events and occurrences left out, as are events of no length. Sorted by start.
 *
 * @example
 * icsBusyIntervals(parseIcsCalendars(text), { now: new Date(), horizonDays: 14, timeZone: 'Europe/Berlin' })
 * // [{ externalId: 'standup@example.com#2025-03-31T08:00:00.000Z', startsAt, endsAt, title: 'Stand-up' }, …]
 */
export function icsBusyIntervals(calendars: IcalComponent[], window: BusyWindow): BusyInterval[] {
  const from = window.now.getTime();
  const until = from + window.horizonDays * DAY_MS;
  const limit = window.maxOccurrences ?? 500;
  const busy = new Map<string, BusyInterval>();
  for (const [uid, events] of componentsByUid(calendars, 'vevent')) {
    // An event whose values ical.js cannot read is left out; the other events still count.
    try {
      const overrides = events.filter((e) => e.hasProperty('recurrence-id'));
      const master = newestOf(events.filter((e) => !e.hasProperty('recurrence-id')));
      const found = master && isSeries(master) ? expandSeries(uid, master, overrides, from, until, window.timeZone) : singles(uid, master, overrides, window.timeZone);
      let kept = 0;
      for (const interval of found) {
        if (kept >= limit) break;
        if (interval.endsAt.getTime() <= from || interval.startsAt.getTime() >= until) continue;
        busy.set(interval.externalId, interval);
        kept += 1;
      }
    } catch {
      continue;
    }
  }
  return [...busy.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.externalId.localeCompare(b.externalId));
}

function isSeries(event: IcalComponent): boolean {
  return event.hasProperty('rrule') || event.hasProperty('rdate');
}

/** A lone event, or overrides whose series the feed does not include (each its own occurrence). */
function* singles(uid: string, master: IcalComponent | undefined, overrides: IcalComponent[], timeZone: string): Generator<BusyInterval> {
  if (master) {
    const interval = occurrenceOf(new ICAL.Event(master, { exceptions: [] }), uid, timeZone);
    if (interval) yield interval;
  }
  for (const override of overrides) {
    const event = new ICAL.Event(override, { exceptions: [] });
    const interval = occurrenceOf(event, `${uid}#${icsInstant(event.recurrenceId, tzidOf(override, 'recurrence-id'), timeZone).toISOString()}`, timeZone);
    if (interval) yield interval;
  }
}

function occurrenceOf(event: ICAL.Event, externalId: string, timeZone: string): BusyInterval | null {
  if (!event.component.hasProperty('dtstart') || !isBusy(event.component)) return null;
  return interval(externalId, event.component, event.startDate, event.endDate, timeZone);
}

function* expandSeries(uid: string, master: IcalComponent, overrides: IcalComponent[], from: number, until: number, timeZone: string): Generator<BusyInterval> {
  // A series cancelled as a whole is gone; a transparent one may still have opaque overrides.
  if (!master.hasProperty('dtstart') || hasStatus(master, 'CANCELLED')) return;
  const series = new ICAL.Event(master, { exceptions: overrides });
  const seen = new Set<string>();
  // Margins for a long event that began before the window, and for the zones' offsets from UTC.
  const lengthMs = Math.max(0, series.duration.toSeconds() * 1000);
  const iterator = series.iterator(fastForwardStart(master, series.startDate, from - lengthMs - 2 * DAY_MS) ?? undefined);
  for (let step = 0; step < MAX_RECURRENCE_STEPS; step += 1) {
    const next = nextOccurrence(iterator);
    if (!next) break;
    const recurrenceAt = icsInstant(next, tzidOf(master, 'dtstart'), timeZone);
    seen.add(next.toString());
    const details = series.getOccurrenceDetails(next);
    const item = details.item.component;
    if (isBusy(item)) {
      const found = interval(`${uid}#${recurrenceAt.toISOString()}`, item, details.startDate, details.endDate, timeZone);
      if (found) yield found;
    }
    // Occurrences come in the order of their original start; one moved into the window from
    // beyond it (or from before a fast-forwarded start) is picked up from the overrides below.
    if (recurrenceAt.getTime() >= until) break;
  }
  for (const override of overrides) {
    const event = new ICAL.Event(override, { exceptions: [] });
    if (seen.has(event.recurrenceId.toString()) || !isBusy(override)) continue;
    const recurrenceAt = icsInstant(event.recurrenceId, tzidOf(override, 'recurrence-id'), timeZone);
    const found = interval(`${uid}#${recurrenceAt.toISOString()}`, override, event.startDate, event.endDate, timeZone);
    if (found) yield found;
  }
}

function nextOccurrence(iterator: ICAL.RecurExpansion): IcalTime | null {
  try {
    return iterator.next() ?? null;
  } catch {
    // ical.js gives up on a rule that matches nothing (say BYMONTHDAY=31 with BYMONTH=2).
    return null;
  }
}

function interval(externalId: string, item: IcalComponent, start: IcalTime, end: IcalTime, timeZone: string): BusyInterval | null {
  const startTzid = tzidOf(item, 'dtstart');
  const startsAt = icsInstant(start, startTzid, timeZone);
  const endsAt = icsInstant(end, tzidOf(item, 'dtend') ?? startTzid, timeZone);
  if (endsAt.getTime() <= startsAt.getTime()) return null;
  return { externalId, startsAt, endsAt, title: textOf(item, 'summary') };
}

function isBusy(event: IcalComponent): boolean {
  return !hasStatus(event, 'CANCELLED') && textOf(event, 'transp').toUpperCase() !== 'TRANSPARENT';
}
