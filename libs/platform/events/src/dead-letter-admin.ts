import { jetstream, JetStreamApiCodes, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { CE_HEADERS } from './cloud-event.codec';
import { DEAD_LETTER_HEADERS } from './dead-letter';
import { isApiError } from './jetstream-delivery';
import { prefixStream, prefixSubject } from './stream-names';

const DEAD_LETTER_STREAM = 'DEADLETTER';
const OWN_HEADERS = new Set<string>(Object.values(DEAD_LETTER_HEADERS));

/** One event a consumer gave up on, as the DEADLETTER stream holds it. */
export interface DeadLetter {
  sequence: number;
  time: string | null;
  durable: string | null;
  /** The subject the event was first published on (without the stream prefix). */
  subject: string | null;
  reason: string | null;
  error: string | null;
  eventId: string | null;
}

/** A durable consumer's position in its stream. */
export interface ConsumerLag {
  stream: string;
  durable: string;
  /** Events the stream holds for it that it has not been given yet: its lag. */
  pending: number;
  /** Given to it and not acknowledged yet. */
  ackPending: number;
  redelivered: number;
  lastDeliveredAt: string | null;
}

/** What a replay did: the dead letter's event is stored again on its original subject. */
export interface Replayed {
  sequence: number;
  durable: string | null;
  eventId: string;
  subject: string;
  stored: { stream: string; seq: number };
}

// The server sends an RFC 3339 time although the client's types say nanoseconds; accept both.
function lastActive(value: unknown): string | null {
  if (typeof value === 'string') return Number.isNaN(Date.parse(value)) ? null : new Date(value).toISOString();
  if (typeof value === 'number' && value > 0) return new Date(value / 1e6).toISOString();
  return null;
}

const header = (values: { get(name: string): string }, name: string) => values.get(name) || null;

/**
 * The dead letters of the stream (`prefix` as for the bus), newest first, at most `limit`, or
 * only those of one durable consumer.
 *
 * @example
 * const letters = await listDeadLetters(bus.jsm, '', { limit: 50 });
 */
export async function listDeadLetters(jsm: JetStreamManager, prefix: string, options: { durable?: string; limit: number }): Promise<DeadLetter[]> {
  // Not provisioned yet means nothing has been given up on.
  const info = await jsm.streams.info(prefixStream(prefix, DEAD_LETTER_STREAM)).catch((err: unknown) => {
    if (isApiError(err, JetStreamApiCodes.StreamNotFound)) return null;
    throw err;
  });
  if (!info) return [];
  const { state } = info;
  const found: DeadLetter[] = [];
  for (let seq = state.last_seq; state.messages > 0 && seq >= state.first_seq && found.length < options.limit; seq--) {
    const m = await jsm.streams.getMessage(prefixStream(prefix, DEAD_LETTER_STREAM), { seq }).catch(() => null);
    if (!m) continue;
    const durable = header(m.header, DEAD_LETTER_HEADERS.consumer);
    if (options.durable && durable !== options.durable) continue;
    found.push({
      sequence: seq,
      time: header(m.header, DEAD_LETTER_HEADERS.time),
      durable,
      subject: header(m.header, DEAD_LETTER_HEADERS.subject),
      reason: header(m.header, DEAD_LETTER_HEADERS.reason),
      error: header(m.header, DEAD_LETTER_HEADERS.error),
      eventId: header(m.header, CE_HEADERS.id),
    });
  }
  return found;
}

/**
 * Publishes a dead letter's event again on its original subject with its original `ce-id`, so
 * only the consumer that gave up handles it (every other one finds the id in its inbox). The
 * broker's dedupe id is fresh, or it would drop the copy. Null when there is no such dead letter.
 *
 * @example
 * const replayed = await replayDeadLetter(bus.connection, bus.jsm, '', 42);
 */
export async function replayDeadLetter(nc: NatsConnection, jsm: JetStreamManager, prefix: string, sequence: number, now = Date.now()): Promise<Replayed | null> {
  const letter = await jsm.streams.getMessage(prefixStream(prefix, DEAD_LETTER_STREAM), { seq: sequence }).catch(() => null);
  const original = letter?.header.get(DEAD_LETTER_HEADERS.subject);
  if (!letter || !original) return null;
  const copied = natsHeaders();
  for (const [name, values] of letter.header) if (!OWN_HEADERS.has(name) && !name.toLowerCase().startsWith('nats-')) for (const v of values) copied.append(name, v);
  const eventId = letter.header.get(CE_HEADERS.id) || `dead-letter-${sequence}`;
  const ack = await jetstream(nc).publish(prefixSubject(prefix, original), letter.data, { headers: copied, msgID: `${eventId}:replay:${sequence}:${now}` });
  return { sequence, durable: header(letter.header, DEAD_LETTER_HEADERS.consumer), eventId, subject: original, stored: { stream: ack.stream, seq: ack.seq } };
}

/**
 * Every durable consumer of the streams of `prefix` with its lag, most behind first.
 *
 * @example
 * const lag = await consumerLag(bus.jsm, '');
 */
export async function consumerLag(jsm: JetStreamManager, prefix: string): Promise<ConsumerLag[]> {
  const lags: ConsumerLag[] = [];
  for await (const stream of jsm.streams.list()) {
    const name = stream.config.name;
    // Unprefixed (deployed) streams are upper-case names; a prefix marks a test's or a bench's own.
    if (prefix ? !name.startsWith(prefixStream(prefix, '')) : !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    for await (const c of jsm.consumers.list(name)) {
      if (!c.config.durable_name) continue;
      lags.push({
        stream: name,
        durable: c.config.durable_name,
        pending: c.num_pending,
        ackPending: c.num_ack_pending,
        redelivered: c.num_redelivered,
        lastDeliveredAt: lastActive(c.delivered.last_active),
      });
    }
  }
  return lags.sort((a, b) => b.pending - a.pending || a.durable.localeCompare(b.durable));
}
