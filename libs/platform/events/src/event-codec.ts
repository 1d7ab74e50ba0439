import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import {
  decodeEvent,
  encodeEvent,
  type DecodedEvent,
  type EncodeOptions,
  type RawEvent,
} from './cloud-event.codec';
import type { EncodedEvent } from './event-bus.types';
import { EventsError } from './errors';

/** Subject → protobuf schema; services pass `subjects` from `@oo/contracts`. */
export type SubjectMap = Readonly<Record<string, DescMessage>>;

/** A subject of the map. */
export type SubjectOf<M extends SubjectMap> = keyof M & string;

/** The message type carried on subject `S`. */
export type MessageOf<M extends SubjectMap, S extends SubjectOf<M>> = MessageShape<M[S]>;

export interface EventCodec<M extends SubjectMap> {
  readonly subjects: M;
  /** The producing service, used as `ce-source` unless a call overrides it. */
  readonly source: string;
  schemaOf<S extends SubjectOf<M>>(subject: S): M[S];
  encode<S extends SubjectOf<M>>(subject: S, message: MessageOf<M, S>, options?: EncodeOptions): EncodedEvent;
  decode<S extends SubjectOf<M>>(subject: S, raw: RawEvent): DecodedEvent<MessageOf<M, S>>;
}

/**
 * Binds a subject map to a producing service, so every publish and decode is typed by subject.
 *
 * @example
 * const codec = createEventCodec(subjects, { source: 'recommender' });
 * const event = codec.encode('signals.tip.feedback', feedback, { userId: feedback.userId });
 */
export function createEventCodec<M extends SubjectMap>(subjects: M, defaults: { source: string }): EventCodec<M> {
  const schemaOf = <S extends SubjectOf<M>>(subject: S): M[S] => {
    if (!Object.prototype.hasOwnProperty.call(subjects, subject)) {
      throw new EventsError('EVENTS_UNKNOWN_SUBJECT', `"${subject}" is not in the subject map`);
    }
    return subjects[subject];
  };
  return {
    subjects,
    source: defaults.source,
    schemaOf,
    encode: (subject, message, options = {}) =>
      encodeEvent(schemaOf(subject), subject, message, { ...options, source: options.source ?? defaults.source }),
    decode: (subject, raw) => decodeEvent(schemaOf(subject), raw),
  };
}
