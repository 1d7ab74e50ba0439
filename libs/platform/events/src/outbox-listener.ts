import { Client } from 'pg';
import type { EventsLogger } from './event-bus.types';
import { OUTBOX_CHANNEL } from './events.tables';

export interface OutboxListener {
  close(): Promise<void>;
}

/**
 * Holds one connection that LISTENs for outbox inserts of `schema` and calls `onInsert` at each
 * commit. When Postgres goes away it reconnects with growing pauses; meanwhile the relay's poll
 * keeps things moving.
 */
export function listenForOutboxInserts(
  url: string,
  schema: string,
  onInsert: () => void,
  log: EventsLogger,
): OutboxListener {
  let closed = false;
  let client: Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const scheduleReconnect = (): void => {
    if (closed || retryTimer) return;
    const delay = Math.min(500 * 2 ** failures, 10_000);
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void open();
    }, delay);
    retryTimer.unref();
  };

  const open = async (): Promise<void> => {
    const c = new Client({ connectionString: url, application_name: `${schema}-outbox-listener` });
    client = c;
    c.on('notification', (n) => {
      if (n.channel === OUTBOX_CHANNEL && n.payload === schema) onInsert();
    });
    c.on('error', (err) => {
      log.warn({ err, schema }, 'outbox listener connection failed');
      c.end().catch(() => undefined);
    });
    c.on('end', () => {
      if (client === c) scheduleReconnect();
    });
    try {
      await c.connect();
      await c.query(`listen ${OUTBOX_CHANNEL}`);
      failures = 0;
      // Rows committed while we were not listening would otherwise wait for the next poll.
      onInsert();
    } catch (err) {
      log.warn({ err, schema }, 'outbox listener could not connect');
      c.end().catch(() => undefined);
      if (client === c) scheduleReconnect();
    }
    if (closed) await c.end().catch(() => undefined);
  };

  void open();
  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
    },
  };
}
