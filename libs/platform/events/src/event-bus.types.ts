// The seam every service depends on. JetStream and the in-process bus both implement it; the
// typed layer (codec, outbox, consumers) is written once on top of it.

/** A CloudEvent in binary mode, ready to send: `ce-*` headers and the protobuf payload. */
export interface EncodedEvent {
  /** The logical subject, without any stream prefix, e.g. `signals.tip.served`. */
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  /** Broker-side dedupe id; `ce-id` unless a copy of the same event needs its own (dead letters). */
  readonly msgId?: string;
}

/** What the broker answered when it stored an event. */
export interface PublishReceipt {
  readonly stream: string;
  readonly seq: number;
  /** True when the broker had already stored an event with the same id (a republish). */
  readonly duplicate: boolean;
}

/** One delivery of a stored event to a durable consumer. Exactly one of ack, nak or term ends it. */
export interface Delivery {
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  /** 1 on the first delivery, then counts redeliveries. */
  readonly deliveryCount: number;
  readonly streamSequence: number;
  /** Messages the consumer still had to deliver after this one (JetStream's `pending`): its lag. Undefined where the bus cannot say. */
  readonly pending?: number;
  ack(): void;
  /** Asks for redelivery after `delayMs`. */
  nak(delayMs: number): void;
  /** Stops redelivery for good. */
  term(reason: string): void;
  /** Resets the ack deadline while a slow handler is still working. */
  working(): void;
}

export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface SubscriptionSpec {
  /** The durable consumer's name, `<service>__<purpose>`; it must have been provisioned. */
  readonly durable: string;
  /** The consumer's one filter subject, without the stream prefix. */
  readonly subject: string;
  /** The stream's name without prefix; found from the subject when omitted. */
  readonly stream?: string;
  /** Handlers running at once (default 8). Deliveries with the same ordering key run one at a time. */
  readonly concurrency?: number;
}

export interface SubscriptionHealth {
  readonly healthy: boolean;
  /** Why it is unhealthy, e.g. `disconnected`, `heartbeats missed`, `consumer not found`. */
  readonly reason?: string;
  /** When the broker last showed this subscription is alive (a message, a heartbeat, a finished pull). */
  readonly lastAliveAt?: Date;
}

export interface EventSubscription {
  readonly durable: string;
  /** The consumer's `max_deliver` as the broker holds it, when the broker has one. */
  readonly maxDeliver?: number;
  /** The consumer's `ack_wait` in ms, when the broker has one: a delivery held longer needs `working()`. */
  readonly ackWaitMs?: number;
  /**
   * How long the stream keeps events (its `max_age`) in ms, `Infinity` when it keeps them forever;
   * undefined until known or when the bus has no such limit. A re-created consumer can replay that far back.
   */
  readonly streamMaxAgeMs?: number;
  health(): SubscriptionHealth;
  /** Stops pulling and resolves when every handler in flight has finished. */
  stop(): Promise<void>;
}

/** A subscription every process gets on its own: each sees every event, nothing is acked. */
export interface FanOutSpec {
  /** One subject, without the stream prefix, e.g. `users.revoked`. */
  readonly subject: string;
  /** Events stored from this time on are delivered first, then new ones as they come. */
  readonly since: Date;
  /** The stream's name without prefix; found from the subject when omitted. */
  readonly stream?: string;
}

/** One event of a fan-out subscription. */
export interface FanOutEvent {
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  readonly streamSequence: number;
}

/** Handles a fan-out event; a throw is logged and the event is not redelivered. */
export type FanOutHandler = (event: FanOutEvent) => void | Promise<void>;

export interface FanOutSubscription {
  health(): SubscriptionHealth;
  /** Stops delivering and resolves once the handler in flight has finished. */
  stop(): Promise<void>;
}

export interface BusHealth {
  readonly healthy: boolean;
  readonly reason?: string;
}

/**
 * Publish and durable subscribe over some broker. Subjects and stream names are logical: an
 * implementation applies its stream prefix itself.
 */
export interface EventBus {
  readonly kind: 'jetstream' | 'in-process';
  /** Stores the event and resolves once the broker acknowledged it. */
  publish(event: EncodedEvent): Promise<PublishReceipt>;
  subscribe(spec: SubscriptionSpec, handler: DeliveryHandler): Promise<EventSubscription>;
  /**
   * Subscribes this process alone (not load-balanced between a service's instances): every event
   * on the subject since `spec.since`, then each new one, in order. For state every instance
   * keeps in memory, such as token revocations. Resumes by itself after a broken connection.
   */
  subscribeFanOut(spec: FanOutSpec, handler: FanOutHandler): Promise<FanOutSubscription>;
  health(): BusHealth;
  /** Lets in-flight work finish and closes the connection. */
  drain(): Promise<void>;
}

/** The subset of a pino logger the library writes to; any pino logger fits. */
export interface EventsLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything, for callers that pass none. */
export const silentLogger: EventsLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
