import { listenForNotifications, type NotificationListener } from '@oo/db';
import type { EventsLogger } from './event-bus.types';
import { OUTBOX_CHANNEL } from './events.tables';

export type OutboxListener = NotificationListener;

/**
 * Calls `onInsert` whenever a transaction that wrote to `schema`'s outbox commits (a trigger
 * notifies `OUTBOX_CHANNEL` with the schema name). The relay's poll covers reconnect gaps.
 */
export function listenForOutboxInserts(url: string, schema: string, onInsert: () => void, log: EventsLogger): OutboxListener {
  return listenForNotifications({
    url,
    channel: OUTBOX_CHANNEL,
    payload: schema,
    applicationName: `${schema}-outbox-listener`,
    onNotify: onInsert,
    onProblem: (err, what) => log.warn({ err, schema }, `outbox listener ${what}`),
  });
}
