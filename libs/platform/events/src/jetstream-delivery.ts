import { JetStreamApiError, type JsMsg } from '@nats-io/jetstream';
import type { Delivery } from './event-bus.types';
import { unprefixSubject } from './stream-names';

/** True for a JetStream API error with the given code (e.g. consumer not found). */
export function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

/** A JetStream message as a bus delivery: logical subject, CloudEvents headers (no `Nats-*`). */
export function toDelivery(m: JsMsg, prefix: string): Delivery {
  const headers: Record<string, string> = {};
  for (const key of m.headers?.keys() ?? []) {
    if (!key.toLowerCase().startsWith('nats-')) headers[key] = m.headers?.get(key) ?? '';
  }
  return {
    subject: unprefixSubject(prefix, m.subject),
    headers,
    data: m.data,
    deliveryCount: m.info.deliveryCount,
    streamSequence: m.seq,
    pending: m.info.pending,
    ack: () => m.ack(),
    nak: (delayMs) => m.nak(delayMs),
    term: (reason) => m.term(reason),
    working: () => m.working(),
  };
}
