import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { Kysely, Transaction } from 'kysely';
import type { DecodedEvent } from './cloud-event.codec';
import type { EventBus, EventsLogger, SubscriptionHealth } from './event-bus.types';
import type { EventsMetrics } from './events-metrics';

/** An event as a handler sees it: CloudEvents attributes, the decoded message, and delivery facts. */
export interface ReceivedEvent<T> extends DecodedEvent<T> {
  readonly deliveryCount: number;
  readonly streamSequence: number;
}

export interface ConsumerOptions<DB, Desc extends DescMessage> {
  bus: EventBus;
  db: Kysely<DB>;
  /** The provisioned durable consumer, `<service>__<purpose>`. */
  durable: string;
  /** Its filter subject, e.g. `signals.tip.feedback`. */
  subject: string;
  /** The stream, when it should not be found from the subject. */
  stream?: string;
  /** The message on that subject; `ce-type` must name it. */
  schema: Desc;
  /**
   * Runs in the transaction that also records the event in the inbox; throw to retry. It may run
   * more than once for one event — a redelivery, or again alone after a batch it shared with a
   * failing event was rolled back — so effects outside the transaction must be harmless to repeat.
   */
  handler: (trx: Transaction<DB>, event: ReceivedEvent<MessageShape<Desc>>) => Promise<void>;
  /** Handlers running at once (default 8); one user's events never run concurrently. */
  concurrency?: number;
  /** Events handled in one transaction at most when they arrive together (default 32; 1 for one each). */
  maxBatch?: number;
  /**
   * How long the first event of a batch waits for others to share its transaction (default 0).
   * Under load a few milliseconds turn one commit per event into one per batch.
   */
  batchLingerMs?: number;
  /** Used when the broker has no `max_deliver` for the consumer (default 8); the broker's value wins. */
  maxDeliver?: number;
  /** Redelivery delay after the n-th failure; the last repeats (default 1 s, 5 s, 30 s, 2 min). */
  backoffMs?: readonly number[];
  /** Hold back a user's event whose predecessor has not been handled yet (default true). */
  enforceSequence?: boolean;
  /** Redelivery delay while waiting for a missing predecessor (default 5 s). */
  sequenceGapRetryMs?: number;
  /**
   * Inbox entries are kept at least this long (default 14 days); never shorter than the stream
   * can replay events (its max age plus a day), so a re-created consumer does not apply them twice.
   */
  inboxRetentionMs?: number;
  /**
   * Run the handler even for users erased from this schema (default false: their events are
   * recorded and acked unhandled). For `users.deletion.requested`, so a repeated request still
   * gets its receipt.
   */
  applyToErasedUsers?: boolean;
  log?: EventsLogger;
  metrics?: EventsMetrics;
}

export interface RunningConsumer {
  readonly durable: string;
  /** For readiness: false while disconnected or stalled, true again once the broker answers. */
  health(): SubscriptionHealth;
  /** Stops pulling, releases held deliveries and waits for handlers in flight. */
  stop(): Promise<void>;
}
