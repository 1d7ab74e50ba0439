import { createRng, type SeededRng } from '@oo/bandit';
import { isAdviceKind, KNOWN_SOURCES } from '@oo/decision-features';
import type { Category, WorldCandidate } from './hidden-world';

/** A task as the simulated integrations publish it (priority 1 most urgent … 4 normal, as in TaskUpserted). */
export interface SimTask {
  readonly id: string;
  readonly source: string;
  readonly title: string;
  readonly priority: number;
  readonly createdAt: Date;
  readonly dueAt?: Date;
}

/** A simulated person before signing in: who they are in the hidden world, and what they have. */
export interface SimPerson {
  /** Position in the hidden world. */
  readonly index: number;
  /** The name they sign in under, `sim-<run>-u<index>`; task ids start with it. */
  readonly name: string;
  readonly timezone: string;
  readonly tasks: readonly SimTask[];
}

/** A simulated person signed in: `id` is auth's user id, the one every service call and event carries. */
export interface SimUser extends SimPerson {
  readonly id: string;
}

/** An advice item as `GET /v1/advice` returns it. */
export interface AdviceItem {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly body?: string;
  readonly tags?: readonly string[];
  readonly appliesWhen?: { readonly hours?: readonly [number, number]; readonly weekdays?: readonly number[] };
}

// Spread around the globe so that at any moment the users' local times cover day and night.
export const SIM_TIMEZONES: readonly string[] = Object.freeze([
  'Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', 'America/Denver', 'America/Chicago',
  'America/New_York', 'America/Halifax', 'America/Sao_Paulo', 'Atlantic/South_Georgia', 'Atlantic/Azores',
  'Europe/London', 'Europe/Berlin', 'Europe/Athens', 'Europe/Moscow', 'Asia/Dubai', 'Asia/Karachi',
  'Asia/Kolkata', 'Asia/Dhaka', 'Asia/Bangkok', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Brisbane',
  'Pacific/Noumea', 'Pacific/Auckland',
]);

const SOURCES = [...KNOWN_SOURCES, 'other'] as const;
const VERBS = ['Call', 'Email', 'Review', 'Pay', 'Book', 'Draft', 'Fix', 'Plan', 'Tidy', 'Renew'];
const OBJECTS = ['the dentist', 'the landlord', 'Q3 report', 'electricity bill', 'flights', 'blog post', 'bike', 'sprint', 'desk', 'passport'];
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface PopulationOptions {
  readonly seed: number;
  readonly users: number;
  /** Keeps names (hence users) and task ids of different runs apart, so a new run starts with fresh users. */
  readonly runId: string;
  readonly now: Date;
}

/**
 * The simulated users: a timezone each (stepping through 24 zones 7 at a time, so any number of
 * users spreads over the day) and 3–8 tasks from todoist, google_tasks or another source, some
 * overdue, some undated, priorities 1–4, created 1–45 days ago.
 *
 * @example
 * const users = createPopulation({ seed: 1, users: 40, runId: 'r1', now: new Date() });
 */
export function createPopulation(options: PopulationOptions): SimPerson[] {
  const root = createRng(options.seed).fork('population-tasks');
  const now = options.now.getTime();
  return Array.from({ length: options.users }, (_, index) => {
    const rng = root.fork(index);
    const name = `sim-${options.runId}-u${index}`;
    const tasks = Array.from({ length: 3 + rng.int(6) }, (_, j): SimTask => {
      const dueAt = drawDueAt(rng, now);
      return {
        id: `${name}-t${j}`,
        source: SOURCES[rng.int(SOURCES.length)] as string,
        title: `${VERBS[rng.int(VERBS.length)]} ${OBJECTS[rng.int(OBJECTS.length)]}`,
        priority: 1 + rng.int(4),
        createdAt: new Date(now - (1 + rng.float() * 44) * DAY_MS),
        dueAt,
      };
    });
    return { index, name, timezone: SIM_TIMEZONES[(index * 7) % SIM_TIMEZONES.length] as string, tasks };
  });
}

/** A due date as people set them: a third undated, a quarter overdue by up to three days, the rest within a week. */
export function drawDueAt(rng: SeededRng, now: number): Date | undefined {
  const due = rng.float();
  return due < 0.3 ? undefined : due < 0.55 ? new Date(now - (1 + rng.float() * 71) * HOUR_MS) : new Date(now + (1 + rng.float() * 167) * HOUR_MS);
}

/** A task as a world candidate at `now`. */
export function taskCandidate(task: SimTask, now: Date): WorldCandidate {
  const source = (KNOWN_SOURCES as readonly string[]).includes(task.source) ? task.source : 'other';
  return {
    id: `task:${task.id}`,
    category: `task:${source}` as Category,
    overdue: task.dueAt !== undefined && task.dueAt.getTime() < now.getTime(),
    urgency: (4 - Math.min(4, Math.max(1, task.priority))) / 3,
  };
}

/** An advice item as a world candidate; kinds the features do not know share `advice:other`. */
export function adviceCandidate(item: AdviceItem): WorldCandidate {
  return { id: `advice:${item.id}`, category: isAdviceKind(item.kind) ? `advice:${item.kind}` : 'advice:other', overdue: false, urgency: 0 };
}

/**
 * Whether an advice item applies at a local hour (0–23) and weekday (0 Sunday … 6 Saturday).
 * `hours: [from, to]` is from ≤ hour < to, wrapping past midnight when from > to.
 *
 * @example
 * adviceApplies({ ...item, appliesWhen: { hours: [22, 6] } }, 23, 2); // true
 */
export function adviceApplies(item: AdviceItem, localHour: number, localWeekday: number): boolean {
  const when = item.appliesWhen;
  if (when?.weekdays && when.weekdays.length > 0 && !when.weekdays.includes(localWeekday)) return false;
  if (!when?.hours) return true;
  const [from, to] = when.hours;
  if (from === to) return true;
  return from < to ? localHour >= from && localHour < to : localHour >= from || localHour < to;
}
