import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { BusyIntervalSchema, BusyTimesSchema } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import type { BusyInterval } from '../connectors/connector';
import type { TaskEventSink } from './task-events';

const key = (b: { externalId: string; startsAt: Date; endsAt: Date }) => `${b.externalId}@${b.startsAt.toISOString()}-${b.endsAt.toISOString()}`;

/**
 * Replaces a calendar connection's busy times with what its feed says now and, when they
 * changed, publishes `signals.calendar.busy` with every interval of the window (times only: the
 * titles stay here). Returns how many intervals the connection now has.
 *
 * @example
 * await replaceBusyTimes(trx, ctx.enqueue, { connectionId, userId }, page.busy, { start: now, end: horizon });
 */
export async function replaceBusyTimes(
  trx: Transaction<IntegrationsDatabase>,
  enqueue: TaskEventSink,
  target: { connectionId: string; userId: string },
  busy: readonly BusyInterval[],
  window: { start: Date; end: Date },
): Promise<number> {
  const stored = await trx.selectFrom('busy_times').select(['external_id', 'starts_at', 'ends_at']).where('connection_id', '=', target.connectionId).execute();
  const before = new Set(stored.map((r) => key({ externalId: r.external_id, startsAt: r.starts_at, endsAt: r.ends_at })));
  const unique = [...new Map(busy.map((b) => [key(b), b])).values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (before.size === unique.length && unique.every((b) => before.has(key(b)))) return unique.length;
  await trx.deleteFrom('busy_times').where('connection_id', '=', target.connectionId).execute();
  if (unique.length > 0) {
    await trx
      .insertInto('busy_times')
      .values(unique.map((b) => ({ connection_id: target.connectionId, user_id: target.userId, external_id: b.externalId, title: b.title, starts_at: b.startsAt, ends_at: b.endsAt })))
      .onConflict((oc) => oc.columns(['connection_id', 'external_id', 'starts_at']).doNothing())
      .execute();
  }
  const message = create(BusyTimesSchema, {
    userId: target.userId,
    connectionId: target.connectionId,
    windowStart: timestampFromDate(window.start),
    windowEnd: timestampFromDate(window.end),
    intervals: unique.map((b) => create(BusyIntervalSchema, { startsAt: timestampFromDate(b.startsAt), endsAt: timestampFromDate(b.endsAt) })),
  });
  await enqueue(trx, 'signals.calendar.busy', message, { userId: target.userId, time: window.start });
  return unique.length;
}
