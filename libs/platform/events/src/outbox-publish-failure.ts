import { JetStreamApiError } from '@nats-io/jetstream';
import { InvalidArgumentError, InvalidSubjectError } from '@nats-io/transport-node';
import { PermanentEventError } from './errors';

// JetStream's JSStreamMessageExceedsMaximumErr ("message size exceeds maximum allowed"): the
// event is above the stream's max_msg_size. Other API errors (e.g. 10077 "maximum messages
// exceeded" under discard=new) clear once the stream has room, so they stay transient.
const MESSAGE_EXCEEDS_MAXIMUM = 10054;

// A bus wraps what the client threw (EventsError with a cause); look a few levels down.
const MAX_CAUSE_DEPTH = 6;

/**
 * Why the broker will never take this event, or undefined when trying again may work. Only errors
 * about the event itself count: its size against the stream's `max_msg_size` (an API error) or
 * the server's `max_payload` (the client refuses before sending), an illegal subject, or a bus
 * that says so with `PermanentEventError`. Outages, timeouts, closed connections and "no
 * responders" (no stream for the subject yet, or JetStream down) are transient.
 *
 * @example
 * const reason = permanentPublishFailure(err); // "payload above the stream's max_msg_size"
 */
export function permanentPublishFailure(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < MAX_CAUSE_DEPTH; depth++) {
    if (current instanceof JetStreamApiError && current.code === MESSAGE_EXCEEDS_MAXIMUM) {
      return "payload above the stream's max_msg_size";
    }
    if (current instanceof InvalidArgumentError && current.message.includes('max_payload')) {
      return "payload above the server's max_payload";
    }
    if (current instanceof InvalidSubjectError) return 'illegal subject';
    if (current instanceof PermanentEventError) return 'refused permanently';
    current = current.cause;
  }
  return undefined;
}
