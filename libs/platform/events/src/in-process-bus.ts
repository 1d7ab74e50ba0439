import { CE_HEADERS } from './cloud-event.codec';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { EventsError } from './errors';
import {
  silentLogger,
  type Delivery,
  type DeliveryHandler,
  type EncodedEvent,
  type EventBus,
  type EventSubscription,
  type EventsLogger,
  type PublishReceipt,
  type SubscriptionSpec,
} from './event-bus.types';
import { createEventsMetrics, type EventsMetrics } from './events-metrics';
import { subjectCovers } from './stream-names';
import { FanOutHub, type StoredAt } from './in-process-fan-out';

export interface InProcessBusOptions {
  log?: EventsLogger;
  metrics?: EventsMetrics;
  /** Events kept for durables that subscribe later (default 10 000; the oldest go first). */
  retain?: number;
  /** A repeated event id within this window is a duplicate (default 5 min). */
  dedupeWindowMs?: number;
  /** A delivery the handler neither acked, nak'ed nor terminated comes back after this (default 30 s). */
  ackWaitMs?: number;
}

type StoredEvent = StoredAt;

interface Pending {
  stored: StoredEvent;
  deliveryCount: number;
}

interface Durable {
  filter: string;
  queue: Pending[];
  active?: { handler: DeliveryHandler; dispatcher: Dispatcher };
}

/**
 * The bus in one process, for the zero-setup `npm start` and unit tests: durables remember their
 * position across subscribe/stop, nak'ed deliveries come back with a higher delivery count, and
 * one ordering key (`ce-subject`) is handled in order; fan-out subscribers each get every event
 * (and the retained ones since their `since`). Nothing survives a restart.
 *
 * @example
 * const bus = createInProcessBus({ log });
 */
export function createInProcessBus(options: InProcessBusOptions = {}): EventBus & { kind: 'in-process' } {
  const log = options.log ?? silentLogger;
  const metrics = options.metrics ?? createEventsMetrics();
  const retain = options.retain ?? 10_000;
  const dedupeWindowMs = options.dedupeWindowMs ?? 300_000;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const stored: StoredEvent[] = [];
  const seen = new Map<string, { seq: number; at: number }>();
  const durables = new Map<string, Durable>();
  const fanOut = new FanOutHub(log);
  const timers = new Set<NodeJS.Timeout>();
  let nextSeq = 1;
  let closed = false;

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const pump = (durable: Durable): void => {
    const active = durable.active;
    while (active && durable.active === active && active.dispatcher.freeSlots() > 0 && durable.queue.length > 0) {
      const pending = durable.queue.shift() as Pending;
      active.dispatcher.dispatch(pending.stored.event.headers[CE_HEADERS.subject], () => deliver(durable, active.handler, pending));
    }
  };

  const redeliver = (durable: Durable, pending: Pending, delayMs: number): void => {
    later(delayMs, () => {
      // Redeliveries go before new events, as on JetStream.
      durable.queue.unshift({ stored: pending.stored, deliveryCount: pending.deliveryCount + 1 });
      pump(durable);
    });
  };

  const deliver = async (durable: Durable, handler: DeliveryHandler, pending: Pending): Promise<void> => {
    let settled = false;
    const settle = (then: () => void): void => {
      if (settled) return;
      settled = true;
      then();
    };
    const { event, seq } = pending.stored;
    const delivery: Delivery = {
      subject: event.subject,
      headers: event.headers,
      data: event.data,
      deliveryCount: pending.deliveryCount,
      streamSequence: seq,
      ack: () => settle(() => undefined),
      nak: (delayMs) => settle(() => redeliver(durable, pending, delayMs)),
      term: () => settle(() => undefined),
      working: () => undefined,
    };
    try {
      await handler(delivery);
    } catch (err) {
      log.error({ err, subject: event.subject }, 'delivery handler threw; redelivering');
      delivery.nak(1_000);
    }
    delivery.nak(ackWaitMs);
    setImmediate(() => pump(durable));
  };

  const publish = async (event: EncodedEvent): Promise<PublishReceipt> => {
    if (closed) throw new EventsError('EVENTS_BUS_CLOSED', 'the bus is closed');
    const now = Date.now();
    const id = event.msgId ?? event.headers[CE_HEADERS.id];
    const previous = id ? seen.get(id) : undefined;
    if (previous && now - previous.at < dedupeWindowMs) return { stream: 'in-process', seq: previous.seq, duplicate: true };
    const entry = { seq: nextSeq++, event, atMs: now };
    stored.push(entry);
    if (stored.length > retain) stored.shift();
    if (id) seen.set(id, { seq: entry.seq, at: now });
    for (const [key, value] of seen) if (now - value.at >= dedupeWindowMs) seen.delete(key);
    metrics.published.inc({ subject: event.subject });
    for (const durable of durables.values()) {
      if (!subjectCovers(durable.filter, event.subject)) continue;
      durable.queue.push({ stored: entry, deliveryCount: 1 });
      pump(durable);
    }
    fanOut.published(entry);
    return { stream: 'in-process', seq: entry.seq, duplicate: false };
  };

  const subscribe = async (spec: SubscriptionSpec, handler: DeliveryHandler): Promise<EventSubscription> => {
    if (closed) throw new EventsError('EVENTS_BUS_CLOSED', 'the bus is closed');
    let durable = durables.get(spec.durable);
    if (!durable) {
      // A new durable starts with everything retained, like a JetStream consumer with deliver policy "all".
      const backlog = stored.filter((s) => subjectCovers(spec.subject, s.event.subject));
      durable = { filter: spec.subject, queue: backlog.map((s) => ({ stored: s, deliveryCount: 1 })) };
      durables.set(spec.durable, durable);
    } else if (durable.filter !== spec.subject) {
      throw new EventsError('EVENTS_CONSUMER_MISMATCH', `${spec.durable} filters ${durable.filter}, not ${spec.subject}`);
    }
    const target = durable;
    const active = {
      handler,
      dispatcher: createDispatcher(spec.concurrency ?? 8, (err) => log.error({ err }, 'in-process delivery failed')),
    };
    target.active = active;
    setImmediate(() => pump(target));
    return {
      durable: spec.durable,
      health: () => (closed || target.active !== active ? { healthy: false, reason: 'stopped' } : { healthy: true }),
      async stop() {
        if (target.active === active) target.active = undefined;
        await active.dispatcher.idle();
      },
    };
  };

  return {
    kind: 'in-process',
    publish,
    subscribe,
    subscribeFanOut: async (spec, handler) => {
      if (closed) throw new EventsError('EVENTS_BUS_CLOSED', 'the bus is closed');
      return fanOut.subscribe(spec, handler, stored);
    },
    health: () => (closed ? { healthy: false, reason: 'closed' } : { healthy: true }),
    async drain() {
      closed = true;
      const running = [...durables.values()].map((d) => d.active?.dispatcher.idle());
      durables.forEach((d) => (d.active = undefined));
      await Promise.all([...running, fanOut.close()]);
      timers.forEach((t) => clearTimeout(t));
      timers.clear();
    },
  };
}
