import {
  JetStreamApiCodes,
  type Consumer,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { describeError, EventsError } from './errors';
import { inspectConsumer, isNotProvisioned } from './provisioned-consumer';
import type {
  Delivery,
  DeliveryHandler,
  EventSubscription,
  EventsLogger,
  SubscriptionHealth,
  SubscriptionSpec,
} from './event-bus.types';
import { CE_HEADERS } from './cloud-event.codec';
import { isApiError, toDelivery } from './jetstream-delivery';
import { Liveness } from './liveness';
import { readStreamMaxAgeMs } from './stream-max-age';

/** The clients a subscription talks through; there are none until the bus has first connected. */
export interface JetStreamLink {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

export interface PullSettings {
  prefix: string;
  log: EventsLogger;
  /** How long one pull request waits on the server for messages (≥ 1000). */
  fetchExpiresMs: number;
  /** Server heartbeat interval while a pull waits; two missed ones mean the subscription stalled. */
  idleHeartbeatMs: number;
  /** Pauses after failed pulls, one per consecutive failure; the last repeats. */
  recoverDelaysMs: readonly number[];
  /** Told when the subscription has stopped, so the bus forgets it. */
  onStopped?: (sub: JetStreamSubscription) => void;
}

const DEFAULT_CONCURRENCY = 8;

/**
 * A durable pull consumer driven by a loop of bounded fetches: each pull asks only for as many
 * messages as there are free handler slots, so nothing waits in a client buffer while its ack
 * deadline runs. A watchdog and the connection status turn health false on a stall, and the
 * loop re-binds (re-creating the consumer from its last known config if it disappeared).
 * Started while the bus is disconnected, it checks the consumer once the connection comes.
 */
export class JetStreamSubscription implements EventSubscription {
  readonly durable: string;
  maxDeliver?: number;
  ackWaitMs?: number;
  streamMaxAgeMs?: number;
  private stream = '';
  private config?: ConsumerConfig;
  private consumer?: Consumer;
  private current?: ConsumerMessages;
  private readonly closedByUs = new WeakSet<ConsumerMessages>();
  private readonly dispatcher: Dispatcher;
  private stopping = false;
  private connected = false;
  private readonly liveness: Liveness;
  private pullOpenedAt = 0;
  private watchdog?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private wakeSleep?: () => void;

  constructor(
    private readonly link: () => JetStreamLink | undefined,
    private readonly spec: SubscriptionSpec,
    private readonly handler: DeliveryHandler,
    private readonly settings: PullSettings,
  ) {
    this.durable = spec.durable;
    this.liveness = new Liveness(settings.log, spec.durable);
    this.dispatcher = createDispatcher(spec.concurrency ?? DEFAULT_CONCURRENCY, (err) =>
      settings.log.error({ err, durable: spec.durable }, 'event handler escaped its error handling'),
    );
  }

  /**
   * Starts pulling. Connected, it first checks the provisioned consumer matches the spec and
   * throws if not; disconnected (or if the broker does not answer the checks), it returns at once
   * and the loop runs those checks once the broker is there.
   */
  async start(connected: boolean): Promise<void> {
    this.connected = connected;
    if (connected) {
      await this.prepare().catch((err: unknown) => {
        if (isNotProvisioned(err)) throw err;
        this.liveness.markStalled(describeError(err));
      });
    }
    this.watchdog = setInterval(() => this.checkStall(), this.settings.idleHeartbeatMs);
    this.watchdog.unref();
    this.loop = this.run();
  }

  health(): SubscriptionHealth {
    return this.liveness.health({ stopping: this.stopping, connected: this.connected });
  }

  /** Called by the bus on connection changes; nothing can arrive while disconnected, so the open pull is closed. */
  connectionChanged(connected: boolean): void {
    this.connected = connected;
    if (!connected) {
      // Stays unhealthy after the reconnect until the broker shows the consumer is alive again.
      this.liveness.markStalled('disconnected');
      this.closeCurrent();
    }
    this.wakeSleep?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watchdog);
    this.closeCurrent();
    this.wakeSleep?.();
    await this.loop;
    await this.dispatcher.idle();
    this.settings.onStopped?.(this);
  }

  private closeCurrent(): void {
    const open = this.current;
    if (!open) return;
    this.closedByUs.add(open);
    void open.close().catch(() => undefined);
  }

  private checkStall(): void {
    const { idleHeartbeatMs } = this.settings;
    if (!this.current || !this.connected) return;
    const lastSign = Math.max(this.liveness.lastAliveAt?.getTime() ?? 0, this.pullOpenedAt);
    if (Date.now() - lastSign > 2 * idleHeartbeatMs + 500) {
      this.liveness.markStalled('heartbeats missed');
      this.closeCurrent();
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      await this.dispatcher.waitForSlot();
      if (this.stopping) break;
      if (!this.connected) {
        await this.sleep(this.settings.recoverDelaysMs[0] ?? 250);
        continue;
      }
      try {
        if (!this.config) await this.prepare();
        const endedNormally = await this.pullOnce();
        if (endedNormally) failures = 0;
        else {
          this.consumer = undefined;
          await this.sleep(this.recoverDelay(failures++));
        }
      } catch (err) {
        this.consumer = undefined;
        // A missing consumer keeps the subscription unhealthy, retrying until someone provisions it.
        if (isNotProvisioned(err)) this.liveness.markBroken(err.message, err);
        else this.liveness.markStalled(describeError(err));
        await this.sleep(this.recoverDelay(failures++));
      }
    }
  }

  // One pull request: resolves true when it ran its course, false when the watchdog or a disconnect closed it.
  private async pullOnce(): Promise<boolean> {
    const consumer = (this.consumer ??= await this.bind());
    const batch = await consumer.fetch({
      max_messages: this.dispatcher.freeSlots(),
      expires: this.settings.fetchExpiresMs,
      idle_heartbeat: this.settings.idleHeartbeatMs,
    });
    this.current = batch;
    this.pullOpenedAt = Date.now();
    void this.watchStatus(batch);
    try {
      for await (const m of batch) {
        this.liveness.markAlive();
        const delivery = toDelivery(m, this.settings.prefix);
        // A delivery may wait behind its user's earlier one (held through a database outage, say);
        // kept alive meanwhile, so waiting never costs it a redelivery.
        const keepAlive = setInterval(() => delivery.working(), Math.max(1_000, (this.ackWaitMs ?? 30_000) / 3));
        keepAlive.unref();
        this.dispatcher.dispatch(delivery.headers[CE_HEADERS.subject], () => {
          clearInterval(keepAlive);
          return this.handle(delivery);
        });
      }
    } finally {
      this.current = undefined;
    }
    if (this.closedByUs.has(batch)) return false;
    this.liveness.markAlive();
    return true;
  }

  private async prepare(): Promise<void> {
    const { jsm } = this.requireLink();
    const { stream, config } = await inspectConsumer(jsm, this.spec, this.settings.prefix);
    const streamMaxAgeMs = await readStreamMaxAgeMs(jsm, stream);
    // `config` last: once it is set the loop counts the checks as done.
    this.stream = stream;
    this.streamMaxAgeMs = streamMaxAgeMs;
    this.maxDeliver = config.max_deliver && config.max_deliver > 0 ? config.max_deliver : undefined;
    this.ackWaitMs = config.ack_wait ? config.ack_wait / 1_000_000 : undefined;
    this.config = config;
    this.liveness.markAlive();
  }

  private requireLink(): JetStreamLink {
    const link = this.link();
    if (!link) throw new EventsError('EVENTS_NOT_CONNECTED', 'NATS is not connected yet');
    return link;
  }

  private async handle(delivery: Delivery): Promise<void> {
    try {
      await this.handler(delivery);
    } catch (err) {
      this.settings.log.error({ err, durable: this.durable }, 'delivery handler threw; redelivering');
      delivery.nak(this.recoverDelay(0));
    }
  }

  private async watchStatus(batch: ConsumerMessages): Promise<void> {
    for await (const s of batch.status()) {
      if (s.type === 'heartbeat') this.liveness.markAlive();
      else if (s.type === 'heartbeats_missed') this.liveness.markStalled('heartbeats missed');
      else if (s.type === 'consumer_deleted' || s.type === 'consumer_not_found') this.liveness.markStalled('consumer not found');
    }
  }

  // Gets the consumer; if it vanished (deleted, or the server lost its store) re-creates it from
  // the config seen at start, so a stall heals without waiting for someone to run provisioning.
  private async bind(): Promise<Consumer> {
    const { js, jsm } = this.requireLink();
    try {
      return await js.consumers.get(this.stream, this.durable);
    } catch (err) {
      if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound) || !this.config) throw err;
      this.settings.log.warn({ durable: this.durable, stream: this.stream }, 're-creating missing consumer');
      await jsm.consumers.add(this.stream, this.config);
      return await js.consumers.get(this.stream, this.durable);
    }
  }

  private recoverDelay(failures: number): number {
    const delays = this.settings.recoverDelaysMs;
    return delays[Math.min(failures, delays.length - 1)] ?? 1000;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }
}
