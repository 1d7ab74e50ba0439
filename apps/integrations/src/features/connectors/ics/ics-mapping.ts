import ICAL from 'ical.js';
import type { NormalisedTask, Priority, TaskChange } from '../connector';
import { componentsByUid, hasStatus, icsInstant, newestOf, textOf, timeOf, tzidOf, type IcalComponent, type IcalTime } from './ics-calendar';

/** Instances of a recurring VTODO looked at for the next one still to do. */
export const MAX_TODO_INSTANCES = 500;
/** A span from DTSTART to DUE longer than this is a window to do the task in, not an estimate of its effort. */
const MAX_ESTIMATE_MINUTES = 24 * 60;

/** One instance of a VTODO: the component that describes it, its start and due, and their TZIDs. */
interface TodoInstance {
  item: IcalComponent;
  start: IcalTime | null;
  due: IcalTime | null;
  startTzid: string | null;
  dueTzid: string | null;
}

/**
 * What a feed's VTODOs mean for oO, one change per UID: the task still to do as an upsert, a
 * completed or cancelled one as a delete. A recurring VTODO is one task, its next instance not
 * completed or cancelled by an override (RECURRENCE-ID), so overrides never become tasks of their
 * own and the UID stays unique.
 *
 * @example
 * icsTaskChanges(parseIcsCalendars(text), 'Europe/Berlin')
 * // [{ kind: 'upsert', task: { externalId: 'passport@example.com', title: 'Renew the passport', … } }]
 */
export function icsTaskChanges(calendars: IcalComponent[], timeZone: string): TaskChange[] {
  const changes: TaskChange[] = [];
  for (const [uid, todos] of componentsByUid(calendars, 'vtodo')) {
    // One to-do whose values ical.js cannot read must not stop the rest of the feed; it counts
    // as not listed (so a complete listing deletes it, as it would a to-do the feed dropped).
    try {
      const master = newestOf(todos.filter((t) => !t.hasProperty('recurrence-id')));
      const overrides = todos.filter((t) => t.hasProperty('recurrence-id'));
      const instance = master ? nextInstance(master, overrides) : firstOpenOverride(overrides);
      changes.push(instance ? { kind: 'upsert', task: normaliseTodo(uid, instance, master, timeZone) } : { kind: 'delete', externalId: uid });
    } catch {
      continue;
    }
  }
  return changes;
}

/**
 * An RFC 5545 PRIORITY on oO's scale. iCalendar's three-level reading (1–4 high, 5 medium, 6–9
 * low, 0 undefined; what Apple Reminders and Thunderbird write as 1, 5 and 9) becomes 1, 2 and 3,
 * and undefined or out-of-range values 4, "none" — as Todoist's p1…p4.
 *
 * @example
 * icsPriority(1) // 1
 * icsPriority(5) // 2
 * icsPriority(9) // 3
 * icsPriority(0) // 4
 */
export function icsPriority(value: unknown): Priority {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 9) return 4;
  return n <= 4 ? 1 : n === 5 ? 2 : 3;
}

function isDone(todo: IcalComponent): boolean {
  const percent = Number(todo.getFirstPropertyValue('percent-complete') ?? 0);
  return hasStatus(todo, 'COMPLETED', 'CANCELLED') || todo.hasProperty('completed') || percent >= 100;
}

function ownInstance(todo: IcalComponent): TodoInstance {
  const startTzid = tzidOf(todo, 'dtstart');
  return { item: todo, start: timeOf(todo, 'dtstart'), due: dueOf(todo), startTzid, dueTzid: todo.hasProperty('due') ? tzidOf(todo, 'due') : startTzid };
}

/** DUE, or for a VTODO given as DTSTART + DURATION, their sum. */
function dueOf(todo: IcalComponent): IcalTime | null {
  const due = timeOf(todo, 'due');
  if (due) return due;
  const start = timeOf(todo, 'dtstart');
  const duration = todo.getFirstPropertyValue('duration');
  if (!start || !(duration instanceof ICAL.Duration)) return null;
  const end = start.clone();
  end.addDuration(duration);
  return end;
}

function nextInstance(master: IcalComponent, overrides: IcalComponent[]): TodoInstance | null {
  if (isDone(master)) return null;
  const start = timeOf(master, 'dtstart');
  const recurs = master.hasProperty('rrule') || master.hasProperty('rdate');
  if (!recurs || !start) return ownInstance(master);
  const series = new ICAL.Event(master, { exceptions: overrides });
  const masterDue = dueOf(master);
  const iterator = series.iterator();
  for (let i = 0; i < MAX_TODO_INSTANCES; i += 1) {
    let next: IcalTime | undefined;
    try {
      next = iterator.next();
    } catch {
      next = undefined;
    }
    if (!next) return null; // the series ended with every instance done
    const item = series.getOccurrenceDetails(next).item.component;
    if (isDone(item)) continue;
    if (item !== master) return ownInstance(item);
    // An instance's due keeps the series' distance between DTSTART and DUE, in wall-clock terms.
    const due = masterDue ? next.clone() : null;
    if (due && masterDue) due.addDuration(masterDue.subtractDate(start));
    const startTzid = tzidOf(master, 'dtstart');
    return { item: master, start: next, due, startTzid, dueTzid: startTzid };
  }
  return ownInstance(master);
}

function firstOpenOverride(overrides: IcalComponent[]): TodoInstance | null {
  const open = overrides.filter((o) => !isDone(o));
  open.sort((a, b) => (timeOf(a, 'recurrence-id')?.toUnixTime() ?? 0) - (timeOf(b, 'recurrence-id')?.toUnixTime() ?? 0));
  const first = open[0];
  return first ? ownInstance(first) : null;
}

function normaliseTodo(uid: string, instance: TodoInstance, master: IcalComponent | undefined, timeZone: string): NormalisedTask {
  const { item, start, due } = instance;
  const fallback = master ?? item;
  const startsAt = start ? icsInstant(start, instance.startTzid, timeZone) : null;
  const dueAt = due ? icsInstant(due, instance.dueTzid, timeZone) : null;
  const updated = timeOf(item, 'last-modified') ?? timeOf(fallback, 'last-modified');
  const created = timeOf(fallback, 'created');
  return {
    externalId: uid,
    title: textOf(item, 'summary') || textOf(fallback, 'summary'),
    priority: icsPriority(item.getFirstPropertyValue('priority') ?? fallback.getFirstPropertyValue('priority')),
    dueAt,
    dueAllDay: due?.isDate ?? false,
    createdAt: created ? icsInstant(created, null, timeZone) : null,
    updatedAt: updated ? icsInstant(updated, null, timeZone) : null,
    url: linkOf(item) || linkOf(fallback),
    estimatedMinutes: estimateOf(item, start, startsAt, dueAt),
  };
}

/** ESTIMATED-DURATION (the iCalendar task extensions), else DURATION or DTSTART→DUE when both have a time of day. */
function estimateOf(todo: IcalComponent, start: IcalTime | null, startsAt: Date | null, dueAt: Date | null): number | null {
  const estimated = todo.getFirstPropertyValue('estimated-duration');
  if (estimated !== null) {
    const minutes = durationMinutes(estimated);
    if (minutes !== null) return minutes;
  }
  if (!start || start.isDate || !startsAt || !dueAt) return null;
  const minutes = Math.round((dueAt.getTime() - startsAt.getTime()) / 60_000);
  return minutes > 0 && minutes <= MAX_ESTIMATE_MINUTES ? minutes : null;
}

function durationMinutes(value: unknown): number | null {
  let duration: ICAL.Duration;
  try {
    duration = value instanceof ICAL.Duration ? value : ICAL.Duration.fromString(String(value).trim());
  } catch {
    return null;
  }
  const minutes = Math.round(duration.toSeconds() / 60);
  return minutes > 0 && !duration.isNegative ? minutes : null;
}

function linkOf(todo: IcalComponent): string {
  const url = textOf(todo, 'url');
  // Only web links: the link is shown to the user, and a feed is not trusted to pick the scheme.
  return /^https?:\/\//i.test(url) ? url : '';
}
