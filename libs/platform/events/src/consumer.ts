import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { Kysely, Transaction } from 'kysely';
import { decodeEvent, readEnvelope, type DecodedEvent, type EventEnvelope } from './cloud-event.codec';
import { deadLetterEvent, publishDeadLetter, type DeadLetterReason } from './dead-letter';
import { describeError, EventsError, PermanentEventError } from './errors';
import { silentLogger, type Delivery, type EventBus, type EventsLogger, type SubscriptionHealth } from './event-bus.types';
import { createEventsMetrics, type EventsMetrics } from './events-metrics';
import { eventsDb } from './events.tables';
import { checkSequence, claimInbox, purgeInbox, skipSequence } from './inbox.repository';

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
  /** Runs in the transaction that also records the event in the inbox; throw to retry. */
  handler: (trx: Transaction<DB>, event: ReceivedEvent<MessageShape<Desc>>) => Promise<void>;
  /** Handlers running at once (default 8); one user's events never run concurrently. */
  concurrency?: number;
  /** Used when the broker has no `max_deliver` for the consumer (default 8); the broker's value wins. */
  maxDeliver?: number;
  /** Redelivery delay after the n-th failure; the last repeats (default 1 s, 5 s, 30 s, 2 min). */
  backoffMs?: readonly number[];
  /** Hold back a user's event whose predecessor has not been handled yet (default true). */
  enforceSequence?: boolean;
  /** Redelivery delay while waiting for a missing predecessor (default 5 s). */
  sequenceGapRetryMs?: number;
  /** Inbox entries are kept this long (default 14 days, beyond the streams' max age). */
  inboxRetentionMs?: number;
  log?: EventsLogger;
  metrics?: EventsMetrics;
}

export interface RunningConsumer {
  readonly durable: string;
  /** For readiness: false while disconnected or stalled, true again once the broker answers. */
  health(): SubscriptionHealth;
  /** Stops pulling and waits for handlers in flight. */
  stop(): Promise<void>;
}

const SEQUENCE_GAP = 'EVENTS_SEQUENCE_GAP';

/**
 * Starts a durable pull consumer: each event is decoded and checked against `schema`, recorded in
 * the inbox and handled in one transaction (a redelivery is a no-op), acked after commit. A failure
 * is retried with backoff; after the last attempt, or at once for a `PermanentEventError` or an
 * undecodable payload, a copy goes to `deadletter.<durable>` with the error and the event is
 * terminated, so the consumer moves on.
 *
 * @example
 * const consumer = await startConsumer({
 *   bus, db, log, metrics,
 *   durable: 'profile__tip_feedback',
 *   subject: 'signals.tip.feedback',
 *   schema: subjects['signals.tip.feedback'],
 *   handler: (trx, event) => invalidateFeatures(trx, event.message.userId, 'signals.tip.feedback'),
 * });
 */
export async function startConsumer<DB, Desc extends DescMessage>(options: ConsumerOptions<DB, Desc>): Promise<RunningConsumer> {
  const { bus, durable, schema } = options;
  const db = eventsDb(options.db);
  const log = options.log ?? silentLogger;
  const metrics = options.metrics ?? createEventsMetrics();
  const backoffMs = options.backoffMs ?? [1_000, 5_000, 30_000, 120_000];
  const enforceSequence = options.enforceSequence ?? true;
  const gapRetryMs = options.sequenceGapRetryMs ?? 5_000;
  let maxDeliver = options.maxDeliver ?? 8;

  const retryDelay = (deliveryCount: number): number =>
    backoffMs[Math.min(deliveryCount - 1, backoffMs.length - 1)] ?? 1_000;

  const sequenceKey = (e: EventEnvelope) =>
    enforceSequence && e.sequence !== undefined && e.userId ? { consumer: durable, source: e.source, userKey: e.userId } : undefined;

  const deadLetter = async (d: Delivery, reason: DeadLetterReason, error: unknown, envelope?: EventEnvelope): Promise<void> => {
    const delivered = await publishDeadLetter(bus, deadLetterEvent(d, durable, reason, error), d);
    const key = envelope && sequenceKey(envelope);
    const skipped = delivered && key && envelope.sequence !== undefined
      ? await skipSequence(db, key, envelope.sequence).then(() => true, () => false)
      : delivered;
    if (!skipped) {
      log.error({ durable, subject: d.subject, streamSequence: d.streamSequence, err: error }, 'dead letter not stored; redelivering');
      d.nak(retryDelay(d.deliveryCount));
      return;
    }
    metrics.deadLettered.inc({ consumer: durable });
    log.warn({ durable, subject: d.subject, reason, error: describeError(error), deliveryCount: d.deliveryCount }, 'event dead-lettered');
    d.term(`dead-lettered: ${reason}`);
  };

  const handleInTransaction = (event: ReceivedEvent<MessageShape<Desc>>, forceSequence: boolean) =>
    options.db.transaction().execute(async (trx) => {
      if (!(await claimInbox(eventsDb(trx), durable, event.id))) return 'duplicate' as const;
      const key = sequenceKey(event);
      if (key && event.sequence !== undefined) {
        const verdict = await checkSequence(eventsDb(trx), key, event.sequence, forceSequence);
        if (verdict === 'gap') throw new EventsError(SEQUENCE_GAP, `${durable}: ${event.id} waits for an earlier event of its user`);
        if (verdict === 'late') log.warn({ durable, id: event.id, sequence: String(event.sequence) }, 'event arrived after a later one of its user');
      }
      await options.handler(trx, event);
      return 'processed' as const;
    });

  const onDelivery = async (d: Delivery): Promise<void> => {
    let envelope: EventEnvelope | undefined;
    let event: ReceivedEvent<MessageShape<Desc>>;
    try {
      envelope = readEnvelope(d);
      event = { ...decodeEvent(schema, d), deliveryCount: d.deliveryCount, streamSequence: d.streamSequence };
    } catch (err) {
      metrics.failed.inc({ consumer: durable });
      return deadLetter(d, 'undecodable', err, envelope);
    }
    // The last attempts are never spent waiting for a predecessor that may never come.
    const forceSequence = d.deliveryCount >= maxDeliver - 1;
    try {
      const outcome = await handleInTransaction(event, forceSequence);
      d.ack();
      metrics.consumed.inc({ consumer: durable, outcome });
    } catch (err) {
      if (err instanceof EventsError && err.code === SEQUENCE_GAP) {
        d.nak(gapRetryMs);
        return;
      }
      metrics.failed.inc({ consumer: durable });
      if (err instanceof PermanentEventError) return deadLetter(d, 'permanent', err, event);
      if (d.deliveryCount >= maxDeliver) return deadLetter(d, 'exhausted', err, event);
      log.warn({ durable, id: event.id, deliveryCount: d.deliveryCount, error: describeError(err) }, 'event handler failed; will retry');
      d.nak(retryDelay(d.deliveryCount));
    }
  };

  const subscription = await bus.subscribe(
    { durable, subject: options.subject, stream: options.stream, concurrency: options.concurrency },
    onDelivery,
  );
  if (subscription.maxDeliver !== undefined) {
    if (options.maxDeliver !== undefined && options.maxDeliver !== subscription.maxDeliver) {
      log.warn({ durable, configured: options.maxDeliver, broker: subscription.maxDeliver }, 'using the broker max_deliver');
    }
    maxDeliver = subscription.maxDeliver;
  }

  const retentionMs = options.inboxRetentionMs ?? 14 * 86_400_000;
  const purge = (): void => {
    purgeInbox(db, durable, new Date(Date.now() - retentionMs)).catch((err: unknown) =>
      log.warn({ err, durable }, 'inbox purge failed'),
    );
  };
  const purgeTimer = setInterval(purge, Math.min(retentionMs, 3_600_000));
  purgeTimer.unref();

  return {
    durable,
    health: () => subscription.health(),
    async stop() {
      clearInterval(purgeTimer);
      await subscription.stop();
    },
  };
}
