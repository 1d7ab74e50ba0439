import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { ConnectorError } from '../connector';
import { isKnownTimeZone, startOfDay, wallClockToInstant } from './ics-time-zone';

export type IcalComponent = ICAL.Component;
export type IcalTime = ICAL.Time;

/**
 * Parses a feed's text into its VCALENDARs (a feed is one, now and then several in a row).
 * Anything that is not iCalendar is a ConnectorError `invalid` whose message says what came instead.
 *
 * @example
 * const [calendar] = parseIcsCalendars('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n');
 */
export function parseIcsCalendars(text: string): IcalComponent[] {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('<')) {
    throw new ConnectorError('invalid', "the feed URL answers a web page, not a calendar; copy the calendar's iCal (ICS) address and paste it again");
  }
  if (!/^BEGIN:VCALENDAR\r?\n/i.test(body)) {
    throw new ConnectorError('invalid', 'the feed URL does not answer an iCalendar file (it does not start with BEGIN:VCALENDAR)');
  }
  let parsed: unknown;
  try {
    parsed = ICAL.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 160) : 'unreadable';
    throw new ConnectorError('invalid', `the calendar feed is not valid iCalendar (${reason})`, { cause: error });
  }
  // ICAL.parse answers one jCal component, or a list of them when the text holds several.
  const list = (Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : parsed) as unknown[];
  const calendars = list.map((jcal) => new ICAL.Component(jcal as unknown[])).filter((c) => c.name === 'vcalendar');
  if (calendars.length === 0) throw new ConnectorError('invalid', 'the calendar feed holds no VCALENDAR');
  return calendars;
}

/**
 * The components of one kind across a feed's calendars, grouped by UID in the feed's order. A
 * component without a UID (which RFC 5545 requires) gets one derived from its content, so it is
 * still seen, though an edit to it reads as a new item.
 *
 * @example
 * for (const [uid, todos] of componentsByUid(calendars, 'vtodo')) console.log(uid, todos.length);
 */
export function componentsByUid(calendars: IcalComponent[], name: 'vevent' | 'vtodo'): Map<string, IcalComponent[]> {
  const groups = new Map<string, IcalComponent[]>();
  for (const calendar of calendars) {
    for (const component of calendar.getAllSubcomponents(name)) {
      const uid = textOf(component, 'uid') || `ics-${createHash('sha256').update(component.toString()).digest('hex').slice(0, 24)}`;
      groups.set(uid, [...(groups.get(uid) ?? []), component]);
    }
  }
  return groups;
}

/**
 * A text property's value, trimmed; '' when absent.
 *
 * @example
 * textOf(todo, 'summary') // 'Renew the passport'
 */
export function textOf(component: IcalComponent, name: string): string {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * A date or date-time property's value; null when absent or not a time.
 *
 * @example
 * timeOf(todo, 'due')?.isDate // true for DUE;VALUE=DATE:20250401
 */
export function timeOf(component: IcalComponent, name: string): IcalTime | null {
  const value = component.getFirstPropertyValue(name);
  return value instanceof ICAL.Time ? value : null;
}

/**
 * The TZID parameter of a property, for times whose zone the feed names but does not define.
 *
 * @example
 * tzidOf(event, 'dtstart') // 'Europe/Berlin'
 */
export function tzidOf(component: IcalComponent, name: string): string | null {
  const tzid = component.getFirstProperty(name)?.getParameter('tzid');
  return typeof tzid === 'string' && tzid !== '' ? tzid : null;
}

/**
 * The instant an iCalendar time names. UTC times and times in a zone the feed defines in a
 * VTIMEZONE are ical.js's to convert; a TZID the feed names without defining it is looked up as an
 * IANA zone; floating times and dates (all-day: the start of that day) are in the user's zone.
 *
 * @example
 * icsInstant(timeOf(todo, 'due')!, tzidOf(todo, 'due'), 'Europe/Berlin')
 */
export function icsInstant(time: IcalTime, tzid: string | null, timeZone: string): Date {
  const userZone = isKnownTimeZone(timeZone) ? timeZone : 'UTC';
  if (time.isDate) return startOfDay(time, userZone);
  if (time.zone && time.zone !== ICAL.Timezone.localTimezone) return new Date(time.toUnixTime() * 1000);
  const named = tzid ? ianaZone(tzid) : null;
  return wallClockToInstant(time, named ?? userZone);
}

/**
 * An undefined TZID as an IANA zone: the name itself, or the zone at the end of a prefixed one
 * like `/mozilla.org/20050126_1/Europe/Berlin`; null when neither is a zone the platform knows.
 */
function ianaZone(tzid: string): string | null {
  if (isKnownTimeZone(tzid)) return tzid;
  const tail = /([A-Za-z_]+\/[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)?)$/.exec(tzid)?.[1];
  return tail && isKnownTimeZone(tail) ? tail : null;
}

/**
 * Whether a component's STATUS is one of these (case-insensitive, as feeds vary).
 *
 * @example
 * hasStatus(event, 'CANCELLED') // true for STATUS:CANCELLED
 */
export function hasStatus(component: IcalComponent, ...statuses: string[]): boolean {
  return statuses.includes(textOf(component, 'status').toUpperCase());
}

/**
 * The version of a component to trust when a feed lists one twice: the higher SEQUENCE, then the
 * later LAST-MODIFIED, then the later in the feed.
 *
 * @example
 * const master = newestOf(todos.filter((t) => !t.hasProperty('recurrence-id')));
 */
export function newestOf(components: IcalComponent[]): IcalComponent | undefined {
  const rank = (c: IcalComponent): [number, number] => {
    const sequence = Number(c.getFirstPropertyValue('sequence') ?? 0);
    const modified = timeOf(c, 'last-modified');
    return [Number.isFinite(sequence) ? sequence : 0, modified ? modified.toUnixTime() : 0];
  };
  return components.reduce<IcalComponent | undefined>((best, c) => {
    if (!best) return c;
    const [a, b] = [rank(best), rank(c)];
    return b[0] > a[0] || (b[0] === a[0] && b[1] >= a[1]) ? c : best;
  }, undefined);
}
