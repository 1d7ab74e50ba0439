import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { sql } from 'kysely';
import { decodeEvent, readEnvelope, type EventEnvelope } from './cloud-event.codec';
import type { ConsumerOptions, ReceivedEvent, RunningConsumer } from './consumer-options';
import { createDatabaseGate, isDatabaseUnavailable } from './database-availability';
import { deadLetterEvent, publishDeadLetter, type DeadLetterReason } from './dead-letter';
import { holdDelivery, keepAliveIntervalMs } from './delivery-hold';
import { describeError, EventsError, PermanentEventError } from './errors';
import { silentLogger, type Delivery, type EventSubscription } from './event-bus.types';
import { createEventsMetrics } from './events-metrics';
import { eventsDb } from './events.tables';
import { startInboxPurge } from './inbox-purge';
import { claimEvent, skipSequence } from './inbox.repository';
import { createTransactionBatcher } from './transaction-batcher';

export type { ConsumerOptions, ReceivedEvent, RunningConsumer } from './consumer-options';

const SEQUENCE_GAP = 'EVENTS_SEQUENCE_GAP';

type DatabaseStep<T> = { ok: true; value: T } | { ok: false; cause: unknown };

/**
 * Starts a durable pull consumer: each event is decoded and checked against `schema`, recorded in
 * the inbox and handled in one transaction (a redelivery is a no-op), acked after commit. A failure
 * is retried with backoff; after the last attempt, or at once for a `PermanentEventError` or an
 * undecodable payload, a copy goes to `deadletter.<durable>` with the error and the event is
 * terminated, so the consumer moves on. While the database is unavailable nothing is spent: the
 * delivery is held (kept alive on the broker) and retried once the database answers.
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
  // Set on every delivery: the labelled series is looked up once.
  const pending = metrics.consumerPending.labels({ consumer: durable });
  const backoffMs = options.backoffMs ?? [1_000, 5_000, 30_000, 120_000];
  const enforceSequence = options.enforceSequence ?? true;
  const gapRetryMs = options.sequenceGapRetryMs ?? 5_000;
  const stopping = new AbortController();
  const gate = createDatabaseGate(() => sql`select 1`.execute(options.db), { log, durable });
  // Deliveries may start before subscribe() resolves; until then the subscription is unknown here.
  const bound: { subscription?: EventSubscription } = {};

  // Read when needed: a subscription started while the broker is away learns the broker's values later.
  const maxDeliver = (): number => bound.subscription?.maxDeliver ?? options.maxDeliver ?? 8;

  const retryDelay = (deliveryCount: number): number =>
    backoffMs[Math.min(deliveryCount - 1, backoffMs.length - 1)] ?? 1_000;

  const sequenceKey = (e: EventEnvelope) =>
    enforceSequence && e.sequence !== undefined && e.userId ? { consumer: durable, source: e.source, userKey: e.userId } : undefined;

  const hold = <T>(d: Delivery, wait: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    holdDelivery(
      d,
      {
        intervalMs: keepAliveIntervalMs(bound.subscription?.ackWaitMs),
        signal: stopping.signal,
        // bus.drain() stops the subscription without stop() here; a held delivery must not block it.
        stillWanted: () => bound.subscription?.health().reason !== 'stopped',
      },
      wait,
    );

  // Runs `step`; while the database is unavailable the delivery is held, not nak'ed, so the outage
  // spends none of its attempts, and the held deliveries fill the handler slots so nothing new is
  // pulled. Not ok only when the consumer stops first.
  const withDatabase = async <T>(d: Delivery, step: () => Promise<T>): Promise<DatabaseStep<T>> => {
    let cause: unknown = new Error('database unavailable');
    for (;;) {
      if (!gate.available && !(await hold(d, (signal) => gate.whenAvailable(signal)))) return { ok: false, cause };
      try {
        const value = await step();
        gate.markWorking();
        return { ok: true, value };
      } catch (err) {
        if (err instanceof PermanentEventError || !isDatabaseUnavailable(err)) throw err;
        // A database that answers at once was not away: an ordinary failure, which spends an attempt.
        if (!(await gate.confirmUnavailable(err))) throw err;
        cause = err;
      }
    }
  };

  // Neither ack nor term before the copy is stored: JetStream forgets nothing it still holds
  // unacked, but after max_deliver it redelivers no more, so giving up here would lose the event.
  const deadLetter = async (d: Delivery, reason: DeadLetterReason, error: unknown, envelope?: EventEnvelope): Promise<void> => {
    const at = { durable, subject: d.subject, streamSequence: d.streamSequence, reason };
    const stored = await hold(d, (signal) =>
      publishDeadLetter(bus, deadLetterEvent(d, durable, reason, error), signal, (err, attempt) => {
        if (attempt === 0) log.error({ ...at, err }, 'dead letter not stored; holding the event and retrying');
      }),
    );
    if (!stored) {
      if (d.deliveryCount < maxDeliver()) return d.nak(0);
      log.error(at, 'stopped before the dead letter was stored; no redelivery remains, the event stays unacked in the stream');
      return;
    }
    const key = envelope && sequenceKey(envelope);
    const sequence = envelope?.sequence;
    if (key && sequence !== undefined) {
      // The copy is stored, so the event is safe; a cursor left behind only makes the user's next
      // events wait for their last attempts.
      const skipped = await withDatabase(d, () => skipSequence(db, key, sequence)).catch((cause: unknown) => ({ ok: false, cause }));
      if (!skipped.ok) log.warn({ ...at, error: describeError(skipped.cause) }, 'sequence cursor not moved past the dead letter');
    }
    metrics.deadLettered.inc({ consumer: durable });
    log.warn({ ...at, error: describeError(error), deliveryCount: d.deliveryCount }, 'event dead-lettered');
    // No reason on the term: nats-server 2.9 ignores `+TERM <reason>` and would redeliver after
    // the ack wait; the reason travels in the dead letter.
    d.term('');
  };

  // The consumer stops while `d` waits for the database. With a redelivery left it goes back now;
  // on the last delivery a nak would drop it, so it becomes a dead letter instead.
  const release = (d: Delivery, cause: unknown, envelope: EventEnvelope): Promise<void> | void =>
    d.deliveryCount < maxDeliver() ? d.nak(0) : deadLetter(d, 'exhausted', cause, envelope);

  // Events that arrive while transactions run are handled together in the next one (group commit).
  const batcher = createTransactionBatcher(options.db, { maxBatch: options.maxBatch ?? 32, parallel: 2, lingerMs: options.batchLingerMs ?? 0 });
  const handleInTransaction = (event: ReceivedEvent<MessageShape<Desc>>, forceSequence: boolean) =>
    batcher.run(async (trx) => {
      const edb = eventsDb(trx);
      // The claim takes the user's lock first: the erasure (applyToErasedUsers) waits for the
      // user's handlers in flight, and they for it.
      const key = sequenceKey(event);
      const verdict = await claimEvent(edb, {
        consumer: durable,
        eventId: event.id,
        userKey: event.userId || undefined,
        handleErased: options.applyToErasedUsers === true,
        sequence: key && event.sequence !== undefined ? { source: key.source, value: event.sequence, force: forceSequence } : undefined,
      });
      // An erased user's event is kept in the inbox all the same, so a replay of it is a duplicate.
      if (verdict === 'duplicate' || verdict === 'erased') return verdict;
      if (verdict === 'gap') throw new EventsError(SEQUENCE_GAP, `${durable}: ${event.id} waits for an earlier event of its user`);
      if (verdict === 'late') log.warn({ durable, id: event.id, sequence: String(event.sequence) }, 'event arrived after a later one of its user');
      await options.handler(trx, event);
      return 'processed' as const;
    }, event.userId ?? '');

  const onDelivery = async (d: Delivery): Promise<void> => {
    if (d.pending !== undefined) pending.set(d.pending);
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
    const forceSequence = d.deliveryCount >= maxDeliver() - 1;
    try {
      const result = await withDatabase(d, () => handleInTransaction(event, forceSequence));
      if (!result.ok) return release(d, result.cause, event);
      d.ack();
      metrics.consumed.inc({ consumer: durable, outcome: result.value });
    } catch (err) {
      if (err instanceof EventsError && err.code === SEQUENCE_GAP) return d.nak(gapRetryMs);
      metrics.failed.inc({ consumer: durable });
      if (err instanceof PermanentEventError) return deadLetter(d, 'permanent', err, event);
      if (d.deliveryCount >= maxDeliver()) return deadLetter(d, 'exhausted', err, event);
      log.warn({ durable, id: event.id, deliveryCount: d.deliveryCount, error: describeError(err) }, 'event handler failed; will retry');
      d.nak(retryDelay(d.deliveryCount));
    }
  };

  const running = await bus.subscribe(
    { durable, subject: options.subject, stream: options.stream, concurrency: options.concurrency },
    onDelivery,
  );
  bound.subscription = running;
  if (options.maxDeliver !== undefined && running.maxDeliver !== undefined && options.maxDeliver !== running.maxDeliver) {
    log.warn({ durable, configured: options.maxDeliver, broker: running.maxDeliver }, 'using the broker max_deliver');
  }

  const purge = startInboxPurge({ db, durable, log, subscription: running, bus, configuredRetentionMs: options.inboxRetentionMs });

  return {
    durable,
    health: () => running.health(),
    async stop() {
      purge.stop();
      const stopped = running.stop();
      stopping.abort();
      gate.close();
      await stopped;
    },
  };
}
