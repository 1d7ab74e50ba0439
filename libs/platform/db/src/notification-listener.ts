import { Client } from 'pg';

export interface NotificationListener {
  close(): Promise<void>;
}

export interface NotificationListenerOptions {
  url: string;
  /** The LISTEN channel. */
  channel: string;
  /** Only notifications with this payload count (services share channels, each sends its schema). */
  payload: string;
  /** Names the connection in pg_stat_activity, e.g. `ml-observation-listener`. */
  applicationName: string;
  /** Called at each matching notification, and once after every (re)connect for what was missed. */
  onNotify: () => void;
  /** Told when the connection fails or cannot be opened; the listener reconnects by itself. */
  onProblem: (err: unknown, what: 'connection failed' | 'could not connect') => void;
}

/**
 * Holds one connection that LISTENs on a channel and calls `onNotify` for each matching
 * notification. Postgres delivers notifications at commit, so what they announce is visible by
 * then. When the connection drops it reconnects with growing pauses (0.5 s … 10 s); callers keep
 * a poll for the gap.
 *
 * @example
 * const listener = listenForNotifications({ url, channel: 'oo_outbox', payload: schema,
 *   applicationName: `${schema}-outbox-listener`, onNotify: wake, onProblem: (err, what) => log.warn({ err }, what) });
 */
export function listenForNotifications(options: NotificationListenerOptions): NotificationListener {
  const { url, channel, payload, applicationName, onNotify, onProblem } = options;
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
    const c = new Client({ connectionString: url, application_name: applicationName });
    client = c;
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload === payload) onNotify();
    });
    c.on('error', (err) => {
      onProblem(err, 'connection failed');
      c.end().catch(() => undefined);
    });
    c.on('end', () => {
      if (client === c) scheduleReconnect();
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
      failures = 0;
      // Whatever was committed while nobody listened would otherwise wait for the caller's poll.
      onNotify();
    } catch (err) {
      onProblem(err, 'could not connect');
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
