import { Client } from 'pg';
import type { Logger } from '@oo/logger';
import { OBSERVATIONS_CHANNEL } from '../../db/migrations/2026_11_22_100100_create_model_state';

export interface ObservationListener {
  close(): Promise<void>;
}

/**
 * Holds one connection that LISTENs for committed observations of `schema` and calls `onCommit`
 * for each. Postgres delivers notifications at commit, so the observation is visible by then.
 * When the connection drops it reconnects with growing pauses; the model's poll covers the gap.
 *
 * @example
 * const listener = listenForObservations(config.DATABASE_URL, 'ml', () => live.catchUp(), log);
 */
export function listenForObservations(url: string, schema: string, onCommit: () => void, log: Logger): ObservationListener {
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
    const c = new Client({ connectionString: url, application_name: `${schema}-observation-listener` });
    client = c;
    c.on('notification', (n) => {
      if (n.channel === OBSERVATIONS_CHANNEL && n.payload === schema) onCommit();
    });
    c.on('error', (err) => {
      log.warn({ err, schema }, 'observation listener connection failed');
      c.end().catch(() => undefined);
    });
    c.on('end', () => {
      if (client === c) scheduleReconnect();
    });
    try {
      await c.connect();
      await c.query(`listen ${OBSERVATIONS_CHANNEL}`);
      failures = 0;
      // Observations committed while nobody listened would otherwise wait for the next poll.
      onCommit();
    } catch (err) {
      log.warn({ err, schema }, 'observation listener could not connect');
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
