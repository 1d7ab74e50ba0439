import { randomUUID } from 'node:crypto';
import { fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { EncodedEvent } from './event-bus.types';
import { EventsError } from './errors';

/** CloudEvents binary-mode header names (plus W3C trace context), as they travel on NATS. */
export const CE_HEADERS = {
  specversion: 'ce-specversion',
  id: 'ce-id',
  type: 'ce-type',
  source: 'ce-source',
  time: 'ce-time',
  subject: 'ce-subject',
  datacontenttype: 'ce-datacontenttype',
  dataschema: 'ce-dataschema',
  /** CloudEvents `sequence` extension: per (producer, subject, user), contiguous from 1. */
  sequence: 'ce-sequence',
  traceparent: 'traceparent',
} as const;

export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';

const SUBJECT_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
// The sequence extension must sort as a string; 20 digits hold any int64.
export const SEQUENCE_WIDTH = 20;

export interface EncodeOptions {
  /** The producing service (`profile`, becomes `/services/profile`) or a full URI reference. */
  source?: string;
  /** The event id (`ce-id`, also the broker dedupe id); a fresh UUID when omitted. */
  id?: string;
  /** The user the event is about (`ce-subject`); it also orders the user's events. */
  userId?: string;
  /** W3C trace context of the request that caused the event; dropped when malformed. */
  traceparent?: string;
  time?: Date;
  /** Set by the outbox; callers normally leave it alone. */
  sequence?: bigint;
}

/** The CloudEvents attributes of a received event. */
export interface EventEnvelope {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string;
  readonly time?: Date;
  readonly userId?: string;
  readonly traceparent?: string;
  readonly sequence?: bigint;
  readonly dataschema?: string;
}

export interface DecodedEvent<T> extends EventEnvelope {
  readonly message: T;
}

/** The part of a delivery the decoder reads. */
export interface RawEvent {
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

function sourceUri(source: string): string {
  return source.includes('/') || source.includes(':') ? source : `/services/${source}`;
}

/**
 * Where the schema lives: the proto file under `proto/` and the message's full name.
 *
 * @example
 * dataschemaOf(TipFeedbackSchema); // "urn:oo:proto:oo/signals/v1/tips.proto#oo.signals.v1.TipFeedback"
 */
export function dataschemaOf(schema: DescMessage): string {
  return `urn:oo:proto:${schema.file.name}.proto#${schema.typeName}`;
}

export function formatSequence(sequence: bigint): string {
  return sequence.toString().padStart(SEQUENCE_WIDTH, '0');
}

/**
 * Encodes a protobuf message as a CloudEvent in binary mode.
 *
 * @example
 * const event = encodeEvent(TipFeedbackSchema, 'signals.tip.feedback', feedback, { source: 'recommender', userId });
 * await bus.publish(event);
 */
export function encodeEvent<Desc extends DescMessage>(
  schema: Desc,
  subject: string,
  message: MessageShape<Desc>,
  options: EncodeOptions,
): EncodedEvent {
  if (!SUBJECT_PATTERN.test(subject)) {
    throw new EventsError('EVENTS_UNKNOWN_SUBJECT', `"${subject}" is not a valid subject`);
  }
  if (message.$typeName !== schema.typeName) {
    throw new EventsError('EVENTS_TYPE_MISMATCH', `${subject} carries ${schema.typeName}, got ${message.$typeName}`);
  }
  if (!options.source) {
    throw new EventsError('EVENTS_UNKNOWN_SUBJECT', `no source given for ${subject}`);
  }
  const headers: Record<string, string> = {
    [CE_HEADERS.specversion]: '1.0',
    [CE_HEADERS.id]: options.id ?? randomUUID(),
    [CE_HEADERS.type]: schema.typeName,
    [CE_HEADERS.source]: sourceUri(options.source),
    [CE_HEADERS.time]: (options.time ?? new Date()).toISOString(),
    [CE_HEADERS.datacontenttype]: PROTOBUF_CONTENT_TYPE,
    [CE_HEADERS.dataschema]: dataschemaOf(schema),
  };
  if (options.userId) headers[CE_HEADERS.subject] = options.userId;
  if (options.sequence !== undefined) headers[CE_HEADERS.sequence] = formatSequence(options.sequence);
  if (options.traceparent && TRACEPARENT_PATTERN.test(options.traceparent)) {
    headers[CE_HEADERS.traceparent] = options.traceparent;
  }
  return { subject, headers, data: toBinary(schema, message) };
}

/**
 * Reads the CloudEvents attributes without touching the payload; throws when required ones are missing.
 *
 * @example
 * const { id, type, userId } = readEnvelope(delivery);
 */
export function readEnvelope(raw: RawEvent): EventEnvelope {
  const h = raw.headers;
  const id = h[CE_HEADERS.id];
  const type = h[CE_HEADERS.type];
  if (h[CE_HEADERS.specversion] !== '1.0' || !id || !type) {
    throw new EventsError('EVENTS_DECODE_FAILED', `${raw.subject}: not a CloudEvent 1.0 (ce-specversion, ce-id, ce-type)`);
  }
  const timeText = h[CE_HEADERS.time];
  const time = timeText ? new Date(timeText) : undefined;
  const sequenceText = h[CE_HEADERS.sequence];
  return {
    id,
    type,
    source: h[CE_HEADERS.source] ?? '',
    subject: raw.subject,
    time: time && !Number.isNaN(time.getTime()) ? time : undefined,
    userId: h[CE_HEADERS.subject] || undefined,
    traceparent: h[CE_HEADERS.traceparent] || undefined,
    sequence: sequenceText && /^\d{1,20}$/.test(sequenceText) ? BigInt(sequenceText) : undefined,
    dataschema: h[CE_HEADERS.dataschema] || undefined,
  };
}

/**
 * Decodes a received CloudEvent, checking that `ce-type` is the expected message.
 *
 * @example
 * const { message, userId } = decodeEvent(TipFeedbackSchema, delivery);
 */
export function decodeEvent<Desc extends DescMessage>(schema: Desc, raw: RawEvent): DecodedEvent<MessageShape<Desc>> {
  const envelope = readEnvelope(raw);
  if (envelope.type !== schema.typeName) {
    throw new EventsError('EVENTS_TYPE_MISMATCH', `${raw.subject}: expected ${schema.typeName}, got ${envelope.type}`);
  }
  const contentType = raw.headers[CE_HEADERS.datacontenttype];
  if (contentType && contentType !== PROTOBUF_CONTENT_TYPE) {
    throw new EventsError('EVENTS_DECODE_FAILED', `${raw.subject}: unsupported content type ${contentType}`);
  }
  try {
    return { ...envelope, message: fromBinary(schema, raw.data) };
  } catch (cause) {
    throw new EventsError('EVENTS_DECODE_FAILED', `${raw.subject}: payload is not a valid ${schema.typeName}`, { cause });
  }
}
