import type { EncodedEvent, EventsLogger, FanOutHandler, FanOutSpec, FanOutSubscription } from './event-bus.types';
import { subjectCovers } from './stream-names';

/** An event as the in-process bus stores it. */
export interface StoredAt {
  readonly seq: number;
  readonly event: EncodedEvent;
  /** When the bus stored it (ms). */
  readonly atMs: number;
}

interface Listener {
  readonly subject: string;
  readonly handler: FanOutHandler;
  /** Deliveries run one after another, in publish order. */
  chain: Promise<void>;
  active: boolean;
}

/**
 * The in-process bus's fan-out subscribers: each gets every event published on its subject, and
 * first the retained ones stored since `since`, one at a time in order.
 *
 * @example
 * const hub = new FanOutHub(log);
 * await hub.subscribe({ subject: 'users.revoked', since }, handler, stored);
 * hub.published(entry);
 */
export class FanOutHub {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly log: EventsLogger) {}

  subscribe(spec: FanOutSpec, handler: FanOutHandler, retained: readonly StoredAt[]): FanOutSubscription {
    const listener: Listener = { subject: spec.subject, handler, chain: Promise.resolve(), active: true };
    this.listeners.add(listener);
    const sinceMs = spec.since.getTime();
    for (const stored of retained) if (stored.atMs >= sinceMs) this.deliver(listener, stored);
    return {
      health: () => (listener.active ? { healthy: true } : { healthy: false, reason: 'stopped' }),
      stop: async () => {
        listener.active = false;
        this.listeners.delete(listener);
        await listener.chain;
      },
    };
  }

  published(stored: StoredAt): void {
    for (const listener of this.listeners) this.deliver(listener, stored);
  }

  async close(): Promise<void> {
    const running = [...this.listeners].map((l) => ((l.active = false), l.chain));
    this.listeners.clear();
    await Promise.all(running);
  }

  private deliver(listener: Listener, { event, seq }: StoredAt): void {
    if (!subjectCovers(listener.subject, event.subject)) return;
    listener.chain = listener.chain.then(async () => {
      if (!listener.active) return;
      try {
        await listener.handler({ subject: event.subject, headers: event.headers, data: event.data, streamSequence: seq });
      } catch (err) {
        this.log.error({ err, subject: event.subject, seq }, 'fan-out handler failed; the event is skipped');
      }
    });
  }
}
