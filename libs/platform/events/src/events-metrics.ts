import { Counter, Gauge, type Registry } from 'prom-client';

/** Counters every part of the library reports to; create one per process and pass it around. */
export interface EventsMetrics {
  published: Counter<'subject'>;
  consumed: Counter<'consumer' | 'outcome'>;
  failed: Counter<'consumer'>;
  deadLettered: Counter<'consumer'>;
  outboxBacklog: Gauge<'schema'>;
  outboxOldestAge: Gauge<'schema'>;
  outboxDead: Counter<'schema'>;
  consumerPending: Gauge<'consumer'>;
}

function counter<L extends string>(registry: Registry | undefined, name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = registry?.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: registry ? [registry] : [] });
}

function gauge<L extends string>(registry: Registry | undefined, name: string, help: string, labelNames: L[]): Gauge<L> {
  const existing = registry?.getSingleMetric(name);
  if (existing instanceof Gauge) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: registry ? [registry] : [] });
}

/**
 * The library's Prometheus metrics, registered on `registry` (idempotent per registry); without a
 * registry they count but are exported nowhere.
 *
 * @example
 * const metrics = createEventsMetrics(registry);
 * const bus = await connectJetStreamBus({ servers: config.natsUrl, metrics });
 */
export function createEventsMetrics(registry?: Registry): EventsMetrics {
  return {
    published: counter(registry, 'oo_events_published_total', 'Events the broker stored (republished duplicates excluded)', ['subject']),
    consumed: counter(
      registry,
      'oo_events_consumed_total',
      'Deliveries a consumer finished: processed, or duplicate (already in the inbox)',
      ['consumer', 'outcome'],
    ),
    failed: counter(registry, 'oo_events_failed_total', 'Handler failures (each is retried or dead-lettered)', ['consumer']),
    deadLettered: counter(registry, 'oo_events_dead_lettered_total', 'Events copied to the dead-letter stream', ['consumer']),
    outboxBacklog: gauge(registry, 'oo_events_outbox_backlog', 'Outbox rows not yet published', ['schema']),
    outboxOldestAge: gauge(registry, 'oo_events_outbox_oldest_age_seconds', 'Age of the oldest outbox row not yet published (0 when none): how late events are', ['schema']),
    consumerPending: gauge(registry, 'oo_events_consumer_pending', "Events the consumer's stream still holds for it after the last one delivered: its lag", ['consumer']),
    outboxDead: counter(
      registry,
      'oo_events_outbox_dead_total',
      'Outbox rows the broker refused for good (e.g. too large), moved to event_outbox_dead',
      ['schema'],
    ),
  };
}
