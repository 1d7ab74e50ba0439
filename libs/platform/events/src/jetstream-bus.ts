import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
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
  type FanOutHandler,
  type FanOutSpec,
  type FanOutSubscription,
  type PublishReceipt,
  type SubscriptionSpec,
} from './event-bus.types';
import { createEventsMetrics, type EventsMetrics } from './events-metrics';
import { JetStreamFanOut } from './jetstream-fan-out';
import { JetStreamSubscription } from './jetstream-subscription';
import { connectInBackground } from './nats-connector';
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
  /** How long `connectJetStreamBus` waits for its first connection attempt before returning a bus still connecting (default 2000). */
  connectWaitMs?: number;
}

/** The JetStream bus; `jsm` and `connection` are exposed for provisioning and tests. */
export interface JetStreamBus extends EventBus {
  readonly kind: 'jetstream';
  readonly prefix: string;
  /** Throws `EVENTS_NOT_CONNECTED` until the bus has first connected (see `whenConnected`). */
  readonly connection: NatsConnection;
  /** Throws `EVENTS_NOT_CONNECTED` until the bus has first connected (see `whenConnected`). */
  readonly jsm: JetStreamManager;
  /** Resolves once the bus has had a connection (at once if it has); rejects with `EVENTS_BUS_CLOSED` if drained first. */
  whenConnected(): Promise<void>;
}

interface Link {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/**
 * Returns a JetStream bus that owns its connection, without waiting for the broker: if no server
 * answers the first attempt, it keeps dialling in the background (and reconnects forever once
 * connected). Until then `health()` says `disconnected`, `publish` fails fast and `subscribe`
 * returns subscriptions that start once the broker is there.
 *
 * @example
 * const bus = await connectJetStreamBus({ servers: config.natsUrl, name: 'profile', log, metrics });
 * readiness.add('nats', () => bus.health().healthy, { critical: false });
 * onShutdown(() => bus.drain());
 */
export async function connectJetStreamBus(options: ConnectJetStreamBusOptions): Promise<JetStreamBus> {
  const core = openBus(options, true);
  const timeout = options.publishTimeoutMs ?? 5_000;
  const connector = connectInBackground(
    { servers: options.servers, name: options.name, maxReconnectAttempts: -1, reconnectTimeWait: 250 },
    core.log,
    async (nc) => core.attach(nc, await jetstreamManager(nc, { timeout, checkAPI: false })),
  );
  core.beforeDrain(() => connector.stop());
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.connectWaitMs ?? 2_000)));
  await Promise.race([connector.firstAttempt, waited]);
  clearTimeout(timer);
  return core.bus;
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
  const jsm = await jetstreamManager(nc, { timeout: options.publishTimeoutMs ?? 5_000 });
  const core = openBus(options, options.ownsConnection ?? false);
  core.attach(nc, jsm);
  return core.bus;
}

// The bus before and after it has a connection: everything that needs the broker goes through `link`.
function openBus(options: JetStreamBusOptions, ownsConnection: boolean) {
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
  const subscriptions = new Set<JetStreamSubscription>();
  const fanOuts = new Set<JetStreamFanOut>();
  const drainHooks: (() => Promise<void>)[] = [];
  let link: Link | undefined;
  let connected = false;
  let closed = false;
  let connectedOnce: { resolve: () => void; reject: (err: Error) => void } | undefined;
  const firstConnection = new Promise<void>((resolve, reject) => (connectedOnce = { resolve, reject }));
  firstConnection.catch(() => undefined);

  const requireLink = (): Link => {
    if (link) return link;
    throw new EventsError('EVENTS_NOT_CONNECTED', 'NATS is not connected yet; await bus.whenConnected()');
  };

  const attach = (nc: NatsConnection, jsm: JetStreamManager): void => {
    if (closed) {
      if (ownsConnection) void nc.close().catch(() => undefined);
      return;
    }
    link = { nc, jsm, js: jetstream(nc, { timeout }) };
    connected = !nc.isClosed();
    log.info({ server: nc.getServer() }, 'NATS connected');
    connectedOnce?.resolve();
    subscriptions.forEach((sub) => sub.connectionChanged(connected));
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type !== 'disconnect' && s.type !== 'reconnect') continue;
        connected = s.type === 'reconnect';
        log.warn({ status: s.type, server: s.server }, connected ? 'NATS reconnected' : 'NATS disconnected');
        subscriptions.forEach((sub) => sub.connectionChanged(connected));
      }
    })();
  };

  const publish = async (event: EncodedEvent): Promise<PublishReceipt> => {
    if (closed) throw new EventsError('EVENTS_BUS_CLOSED', 'the bus is closed');
    // Fail fast rather than buffer: the outbox keeps the row and the relay backs off.
    if (!link || !connected) {
      const cause = new EventsError('EVENTS_NOT_CONNECTED', 'NATS is not connected');
      throw new EventsError('EVENTS_PUBLISH_FAILED', `publish to ${event.subject} failed: NATS is not connected`, { cause });
    }
    const h = natsHeaders();
    for (const [key, value] of Object.entries(event.headers)) h.set(key, value);
    const msgID = event.msgId ?? event.headers[CE_HEADERS.id];
    try {
      const ack = await link.js.publish(prefixSubject(prefix, event.subject), event.data, { msgID, headers: h, timeout });
      if (!ack.duplicate) metrics.published.inc({ subject: event.subject });
      return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
    } catch (cause) {
      throw new EventsError('EVENTS_PUBLISH_FAILED', `publish to ${event.subject} failed`, { cause });
    }
  };

  const subscribe = async (spec: SubscriptionSpec, handler: DeliveryHandler): Promise<EventSubscription> => {
    if (closed) throw new EventsError('EVENTS_BUS_CLOSED', 'the bus is closed');
    const sub = new JetStreamSubscription(() => link, spec, handler, {
      ...settings,
      onStopped: (stopped) => subscriptions.delete(stopped),
    });
    subscriptions.add(sub);
    try {
      await sub.start(link !== undefined && connected);
    } catch (err) {
      subscriptions.delete(sub);
      throw err;
    }
    return sub;
  };

  const subscribeFanOut = async (spec: FanOutSpec, handler: FanOutHandler): Promise<FanOutSubscription> => {
    if (closed) throw new EventsError('EVENTS_BUS_CLOSED', 'the bus is closed');
    const sub = new JetStreamFanOut(() => link, () => connected && !closed, spec, handler, { ...settings, onStopped: (s) => fanOuts.delete(s) });
    fanOuts.add(sub);
    return sub;
  };

  const methods: Omit<JetStreamBus, 'connection' | 'jsm'> = {
    kind: 'jetstream',
    prefix,
    whenConnected: () => firstConnection,
    publish,
    subscribe,
    subscribeFanOut,
    health(): BusHealth {
      if (closed || link?.nc.isClosed()) return { healthy: false, reason: 'closed' };
      return link && connected ? { healthy: true } : { healthy: false, reason: 'disconnected' };
    },
    async drain() {
      if (closed) return;
      closed = true;
      connectedOnce?.reject(new EventsError('EVENTS_BUS_CLOSED', 'the bus was drained before NATS answered'));
      for (const hook of drainHooks) await hook();
      await Promise.all([...subscriptions, ...fanOuts].map((sub) => sub.stop()));
      const nc = link?.nc;
      if (!ownsConnection || !nc || nc.isClosed()) return;
      // While reconnecting there is nothing to flush, and a drain would wait for a server that is not there.
      await (connected ? nc.drain() : nc.close());
    },
  };
  // Not enumerable, so wrapping a bus (`{ ...bus, publish }`) works before it has connected.
  const bus = Object.defineProperties(methods, {
    connection: { get: () => requireLink().nc, enumerable: false },
    jsm: { get: () => requireLink().jsm, enumerable: false },
  }) as JetStreamBus;
  return { bus, log, attach, beforeDrain: (hook: () => Promise<void>) => drainHooks.push(hook) };
}
