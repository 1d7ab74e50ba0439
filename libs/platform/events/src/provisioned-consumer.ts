import { JetStreamApiCodes, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { EventsError } from './errors';
import type { SubscriptionSpec } from './event-bus.types';
import { isApiError } from './jetstream-delivery';
import { prefixStream, prefixSubject } from './stream-names';

/** True for the errors that mean someone has to provision (or fix) the consumer before it can run. */
export function isNotProvisioned(err: unknown): err is EventsError {
  return err instanceof EventsError && (err.code === 'EVENTS_CONSUMER_NOT_FOUND' || err.code === 'EVENTS_CONSUMER_MISMATCH');
}

const missing = (err: unknown): boolean =>
  isApiError(err, JetStreamApiCodes.ConsumerNotFound) || isApiError(err, JetStreamApiCodes.StreamNotFound);

/**
 * Finds the stream and the broker's config of the durable consumer a subscription names, and checks
 * it filters the subject the subscription expects.
 *
 * @example
 * const { stream, config } = await inspectConsumer(jsm, { durable: 'profile__tip_feedback', subject: 'signals.tip.feedback' }, '');
 */
export async function inspectConsumer(
  jsm: JetStreamManager,
  spec: SubscriptionSpec,
  prefix: string,
): Promise<{ stream: string; config: ConsumerConfig }> {
  const filter = prefixSubject(prefix, spec.subject);
  const notProvisioned = (where: string, cause: unknown) =>
    new EventsError('EVENTS_CONSUMER_NOT_FOUND', `consumer ${spec.durable} on ${where} is not provisioned`, { cause });
  let stream: string;
  let info: ConsumerInfo;
  try {
    stream = spec.stream ? prefixStream(prefix, spec.stream) : await jsm.streams.find(filter);
  } catch (err) {
    throw missing(err) ? notProvisioned(`a stream holding ${filter}`, err) : err;
  }
  try {
    info = await jsm.consumers.info(stream, spec.durable);
  } catch (err) {
    throw missing(err) ? notProvisioned(stream, err) : err;
  }
  if (info.config.filter_subject !== filter) {
    throw new EventsError(
      'EVENTS_CONSUMER_MISMATCH',
      `consumer ${spec.durable} filters "${info.config.filter_subject ?? ''}", expected "${filter}"`,
    );
  }
  return { stream, config: info.config };
}
