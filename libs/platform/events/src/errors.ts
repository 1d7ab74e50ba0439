/** Stable error codes of the events library. */
export type EventsErrorCode =
  | 'EVENTS_UNKNOWN_SUBJECT'
  | 'EVENTS_TYPE_MISMATCH'
  | 'EVENTS_DECODE_FAILED'
  | 'EVENTS_PUBLISH_FAILED'
  | 'EVENTS_CONSUMER_NOT_FOUND'
  | 'EVENTS_CONSUMER_MISMATCH'
  | 'EVENTS_BUS_CLOSED'
  | 'EVENTS_NOT_CONNECTED'
  | 'EVENTS_DEFINITIONS_INVALID'
  | 'EVENTS_PROVISION_FAILED'
  | 'EVENTS_SEQUENCE_GAP';

/** An error raised by the events library; `code` is stable, `cause` keeps the original error. */
export class EventsError extends Error {
  override readonly name = 'EventsError';
  constructor(
    readonly code: EventsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Thrown by a consumer's handler when retrying cannot help (the event is invalid for this
 * consumer): the event goes to the dead-letter stream at once instead of after the last attempt.
 *
 * @example
 * if (!event.message.userId) throw new PermanentEventError('event has no user id');
 */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
  readonly code = 'EVENTS_PERMANENT_FAILURE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A short, single-line description of any thrown value, for logs and dead-letter headers. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? ` (cause: ${err.cause.message})` : '';
  return `${text}${cause}`.replace(/[\r\n]+/g, ' ').slice(0, 1000);
}
