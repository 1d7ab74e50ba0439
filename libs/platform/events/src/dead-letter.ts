import { CE_HEADERS } from './cloud-event.codec';
import { describeError } from './errors';
import { pause } from './delivery-hold';
import type { Delivery, EncodedEvent, EventBus } from './event-bus.types';
import { deadLetterSubject } from './stream-names';

/** Headers a dead letter carries on top of the original event's headers. */
export const DEAD_LETTER_HEADERS = {
  consumer: 'oo-dlq-consumer',
  subject: 'oo-dlq-subject',
  reason: 'oo-dlq-reason',
  error: 'oo-dlq-error',
  deliveryCount: 'oo-dlq-delivery-count',
  streamSequence: 'oo-dlq-stream-sequence',
  time: 'oo-dlq-time',
} as const;

/** Why a consumer gave up: the payload could not be read, the handler said retrying is useless, or attempts ran out. */
export type DeadLetterReason = 'undecodable' | 'permanent' | 'exhausted';

/** The copy sent to `deadletter.<durable>`: original headers and payload, plus what went wrong. */
export function deadLetterEvent(delivery: Delivery, durable: string, reason: DeadLetterReason, error: unknown, now = new Date()): EncodedEvent {
  const originalId = delivery.headers[CE_HEADERS.id] ?? `stream-seq-${delivery.streamSequence}`;
  return {
    subject: deadLetterSubject(durable),
    data: delivery.data,
    // Its own dedupe id: one event may be dead-lettered by several consumers into one stream.
    msgId: `${originalId}:${durable}`,
    headers: {
      ...delivery.headers,
      [DEAD_LETTER_HEADERS.consumer]: durable,
      [DEAD_LETTER_HEADERS.subject]: delivery.subject,
      [DEAD_LETTER_HEADERS.reason]: reason,
      [DEAD_LETTER_HEADERS.error]: describeError(error),
      [DEAD_LETTER_HEADERS.deliveryCount]: String(delivery.deliveryCount),
      [DEAD_LETTER_HEADERS.streamSequence]: String(delivery.streamSequence),
      [DEAD_LETTER_HEADERS.time]: now.toISOString(),
    },
  };
}

/**
 * Publishes a dead letter, retrying with growing pauses (the last repeats) until the broker stores
 * it; false only when `signal` aborts first (the consumer is stopping). It always makes one
 * attempt, even when `signal` has already aborted.
 *
 * @example
 * const stored = await publishDeadLetter(bus, letter, signal, (err) => log.error({ err }, 'dead letter not stored'));
 */
export async function publishDeadLetter(
  bus: EventBus,
  letter: EncodedEvent,
  signal: AbortSignal,
  onFailure: (err: unknown, attempt: number) => void = () => undefined,
  pausesMs: readonly number[] = [200, 1_000, 2_000, 5_000],
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await bus.publish(letter);
      return true;
    } catch (err) {
      onFailure(err, attempt);
      if (signal.aborted) return false;
      await pause(pausesMs[Math.min(attempt, pausesMs.length - 1)] ?? 1_000, signal);
      if (signal.aborted) return false;
    }
  }
}
