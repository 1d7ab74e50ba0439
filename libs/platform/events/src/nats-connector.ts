import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { describeError } from './errors';
import type { EventsLogger } from './event-bus.types';

// Host and port only: a server URL may carry a token or user and password.
function hostsOf(servers: string | string[] | undefined): string[] {
  return [servers ?? []].flat().map((server) => {
    try {
      const url = new URL(server.includes('://') ? server : `nats://${server}`);
      return `${url.hostname}:${url.port || '4222'}`;
    } catch {
      return '(unparsable server address)';
    }
  });
}

/** A first connection being dialled in the background. */
export interface NatsConnector {
  /** Settles once the first attempt is over, whether a server answered or not. */
  readonly firstAttempt: Promise<void>;
  /** Stops dialling; a connection that arrives after this is closed at once. */
  stop(): Promise<void>;
}

const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000];

/**
 * Dials NATS until a server answers and hands the connection to `onConnected`; from then on the
 * client itself reconnects, forever. The client's `waitOnFirstConnect` also keeps dialling, but
 * its `connect()` settles only once a server answered and gives no handle to stop the dialler,
 * so a service shut down during an outage could never close it.
 *
 * @example
 * const connector = connectInBackground({ servers: 'nats://127.0.0.1:4222' }, log, async (nc) => attach(nc));
 * await connector.firstAttempt;
 */
export function connectInBackground(
  options: ConnectionOptions,
  log: EventsLogger,
  onConnected: (nc: NatsConnection) => Promise<void>,
): NatsConnector {
  let stopped = false;
  let wake: (() => void) | undefined;
  let firstAttemptOver: () => void = () => undefined;
  const firstAttempt = new Promise<void>((resolve) => (firstAttemptOver = resolve));

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      wake = done;
    });

  const dial = async (): Promise<void> => {
    let lastError = '';
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const nc = await connect(options);
        if (stopped) await nc.close();
        else await onConnected(nc);
        return;
      } catch (err) {
        const error = describeError(err);
        // Once per distinct error, not once per attempt: an outage can last hours.
        if (error !== lastError) log.warn({ servers: hostsOf(options.servers), error }, 'NATS unreachable; still trying to connect');
        lastError = error;
      } finally {
        firstAttemptOver();
      }
      await pause(RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 2_000);
    }
  };
  const dialling = dial();

  return {
    firstAttempt,
    async stop() {
      stopped = true;
      wake?.();
      await dialling;
    },
  };
}
