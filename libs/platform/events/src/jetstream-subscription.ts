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
import { prefixStream, prefixSubject } from './stream-names';

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
 */
export class JetStreamSubscription implements EventSubscription {
  readonly durable: string;
  maxDeliver?: number;
  private stream = '';
  private config?: ConsumerConfig;
  private consumer?: Consumer;
  private current?: ConsumerMessages;
  private readonly closedByUs = new WeakSet<ConsumerMessages>();
  private readonly dispatcher: Dispatcher;
  private stopping = false;
  private connected = true;
  private readonly liveness: Liveness;
  private pullOpenedAt = 0;
  private watchdog?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private wakeSleep?: () => void;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
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

  /** Checks the provisioned consumer matches the spec, then starts pulling. */
  async start(): Promise<void> {
    const { prefix } = this.settings;
    const filter = prefixSubject(prefix, this.spec.subject);
    this.stream = this.spec.stream ? prefixStream(prefix, this.spec.stream) : await this.jsm.streams.find(filter);
    try {
      const info = await this.jsm.consumers.info(this.stream, this.durable);
      if (info.config.filter_subject !== filter) {
        throw new EventsError(
          'EVENTS_CONSUMER_MISMATCH',
          `consumer ${this.durable} filters "${info.config.filter_subject ?? ''}", expected "${filter}"`,
        );
      }
      this.config = info.config;
      this.maxDeliver = info.config.max_deliver && info.config.max_deliver > 0 ? info.config.max_deliver : undefined;
    } catch (err) {
      if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
      throw new EventsError('EVENTS_CONSUMER_NOT_FOUND', `consumer ${this.durable} on ${this.stream} is not provisioned`, {
        cause: err,
      });
    }
    this.liveness.markAlive();
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
        const endedNormally = await this.pullOnce();
        if (endedNormally) failures = 0;
        else {
          this.consumer = undefined;
          await this.sleep(this.recoverDelay(failures++));
        }
      } catch (err) {
        this.consumer = undefined;
        this.liveness.markStalled(describeError(err));
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
        this.dispatcher.dispatch(delivery.headers[CE_HEADERS.subject], () => this.handle(delivery));
      }
    } finally {
      this.current = undefined;
    }
    if (this.closedByUs.has(batch)) return false;
    this.liveness.markAlive();
    return true;
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
    try {
      return await this.js.consumers.get(this.stream, this.durable);
    } catch (err) {
      if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound) || !this.config) throw err;
      this.settings.log.warn({ durable: this.durable, stream: this.stream }, 're-creating missing consumer');
      await this.jsm.consumers.add(this.stream, this.config);
      return await this.js.consumers.get(this.stream, this.durable);
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
