import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { CE_HEADERS } from './cloud-event.codec';
import { EventsError } from './errors';
import {
  silentLogger,
  type BusHealth,
  type DeliveryHandler,
  type EncodedEvent,
  type EventBus,
  type EventSubscription,
  type EventsLogger,
  type PublishReceipt,
  type SubscriptionSpec,
} from './event-bus.types';
import { createEventsMetrics, type EventsMetrics } from './events-metrics';
import { JetStreamSubscription } from './jetstream-subscription';
import { assertStreamPrefix, prefixSubject } from './stream-names';

export interface JetStreamBusOptions {
  /** Put in front of every stream name and subject (tests); empty in production. */
  prefix?: string;
  log?: EventsLogger;
  metrics?: EventsMetrics;
  /** How long a publish waits for the broker's ack (default 5000). */
  publishTimeoutMs?: number;
  /** How long one pull waits on the server (default 10000, at least 1000). */
  fetchExpiresMs?: number;
  /** Server heartbeat interval during a pull (default half of fetchExpiresMs); two missed → stalled. */
  idleHeartbeatMs?: number;
  /** Pauses after failed pulls (default 250, 500, 1000, 2000, 5000 ms). */
  recoverDelaysMs?: readonly number[];
}

export interface ConnectJetStreamBusOptions extends JetStreamBusOptions {
  servers: string | string[];
  /** Connection name shown by the server, e.g. the service name. */
  name?: string;
}

/** The JetStream bus; `jsm` is exposed for provisioning and tests. */
export interface JetStreamBus extends EventBus {
  readonly kind: 'jetstream';
  readonly prefix: string;
  readonly connection: NatsConnection;
  readonly jsm: JetStreamManager;
}

/**
 * Connects to NATS (reconnecting forever) and returns a JetStream bus that owns the connection.
 *
 * @example
 * const bus = await connectJetStreamBus({ servers: config.natsUrl, name: 'profile', log, metrics });
 * onShutdown(() => bus.drain());
 */
export async function connectJetStreamBus(options: ConnectJetStreamBusOptions): Promise<JetStreamBus> {
  const nc = await connect({
    servers: options.servers,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
  return createJetStreamBus(nc, { ...options, ownsConnection: true });
}

/**
 * Builds a JetStream bus over an existing connection; `drain()` closes it only with `ownsConnection`.
 *
 * @example
 * const bus = await createJetStreamBus(nc, { prefix: uniqueStreamPrefix('outbox') });
 */
export async function createJetStreamBus(
  nc: NatsConnection,
  options: JetStreamBusOptions & { ownsConnection?: boolean } = {},
): Promise<JetStreamBus> {
  const prefix = options.prefix ?? '';
  assertStreamPrefix(prefix);
  const log = options.log ?? silentLogger;
  const metrics = options.metrics ?? createEventsMetrics();
  const fetchExpiresMs = Math.max(options.fetchExpiresMs ?? 10_000, 1_000);
  const settings = {
    prefix,
    log,
    fetchExpiresMs,
    idleHeartbeatMs: options.idleHeartbeatMs ?? Math.floor(fetchExpiresMs / 2),
    recoverDelaysMs: options.recoverDelaysMs ?? [250, 500, 1_000, 2_000, 5_000],
  };
  const timeout = options.publishTimeoutMs ?? 5_000;
  const jsm = await jetstreamManager(nc, { timeout });
  const js: JetStreamClient = jetstream(nc, { timeout });
  const subscriptions = new Set<JetStreamSubscription>();
  let connected = true;
  let closed = false;

  void (async () => {
    for await (const s of nc.status()) {
      if (s.type !== 'disconnect' && s.type !== 'reconnect') continue;
      connected = s.type === 'reconnect';
      log.warn({ status: s.type, server: s.server }, connected ? 'NATS reconnected' : 'NATS disconnected');
      subscriptions.forEach((sub) => sub.connectionChanged(connected));
    }
  })();

  const publish = async (event: EncodedEvent): Promise<PublishReceipt> => {
    if (closed) throw new EventsError('EVENTS_BUS_CLOSED', 'the bus is closed');
    const h = natsHeaders();
    for (const [key, value] of Object.entries(event.headers)) h.set(key, value);
    const msgID = event.msgId ?? event.headers[CE_HEADERS.id];
    try {
      const ack = await js.publish(prefixSubject(prefix, event.subject), event.data, { msgID, headers: h, timeout });
      if (!ack.duplicate) metrics.published.inc({ subject: event.subject });
      return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
    } catch (cause) {
      throw new EventsError('EVENTS_PUBLISH_FAILED', `publish to ${event.subject} failed`, { cause });
    }
  };

  const subscribe = async (spec: SubscriptionSpec, handler: DeliveryHandler): Promise<EventSubscription> => {
    if (closed) throw new EventsError('EVENTS_BUS_CLOSED', 'the bus is closed');
    const sub = new JetStreamSubscription(js, jsm, spec, handler, {
      ...settings,
      onStopped: (stopped) => subscriptions.delete(stopped),
    });
    await sub.start();
    subscriptions.add(sub);
    return sub;
  };

  return {
    kind: 'jetstream',
    prefix,
    connection: nc,
    jsm,
    publish,
    subscribe,
    health(): BusHealth {
      if (closed || nc.isClosed()) return { healthy: false, reason: 'closed' };
      return connected ? { healthy: true } : { healthy: false, reason: 'disconnected' };
    },
    async drain() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((sub) => sub.stop()));
      if (options.ownsConnection && !nc.isClosed()) await nc.drain();
    },
  };
}
