import { create, toBinary } from '@bufbuild/protobuf';
import { Int64ValueSchema, StringValueSchema, StructSchema } from '@bufbuild/protobuf/wkt';
import { decodeEvent, encodeEvent, readEnvelope } from './cloud-event.codec';
import { createEventCodec } from './event-codec';

const subjects = { 'signals.test.counted': Int64ValueSchema, 'signals.test.context': StructSchema } as const;
const codec = createEventCodec(subjects, { source: 'recommender' });
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('CloudEvents codec', () => {
  it('writes every binary-mode header', () => {
    const time = new Date('2026-11-21T10:00:00.000Z');
    const event = codec.encode('signals.test.counted', create(Int64ValueSchema, { value: 5n }), {
      id: 'evt-1',
      userId: 'user-9',
      traceparent: TRACEPARENT,
      time,
      sequence: 12n,
    });

    expect(event.subject).toBe('signals.test.counted');
    expect(event.headers).toEqual({
      'ce-specversion': '1.0',
      'ce-id': 'evt-1',
      'ce-type': 'google.protobuf.Int64Value',
      'ce-source': '/services/recommender',
      'ce-time': '2026-11-21T10:00:00.000Z',
      'ce-subject': 'user-9',
      'ce-datacontenttype': 'application/protobuf',
      'ce-dataschema': 'urn:oo:proto:google/protobuf/wrappers.proto#google.protobuf.Int64Value',
      'ce-sequence': '00000000000000000012',
      traceparent: TRACEPARENT,
    });
    expect(event.data).toEqual(toBinary(Int64ValueSchema, create(Int64ValueSchema, { value: 5n })));
  });

  it('gives each event a fresh UUID and leaves out what it does not know', () => {
    const a = codec.encode('signals.test.counted', create(Int64ValueSchema, { value: 1n }), { traceparent: 'garbage' });
    const b = codec.encode('signals.test.counted', create(Int64ValueSchema, { value: 1n }));

    expect(a.headers['ce-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['ce-id']).not.toBe(b.headers['ce-id']);
    expect(Object.keys(a.headers)).not.toEqual(expect.arrayContaining(['ce-subject', 'traceparent', 'ce-sequence']));
  });

  it('round-trips a message and its attributes', () => {
    const context = create(StructSchema, { fields: { hour: { kind: { case: 'numberValue', value: 9 } } } });
    const event = codec.encode('signals.test.context', context, { userId: 'u', sequence: 3n, source: '/jobs/backfill' });

    const decoded = codec.decode('signals.test.context', event);

    expect(decoded).toMatchObject({ id: event.headers['ce-id'], userId: 'u', sequence: 3n, source: '/jobs/backfill' });
    expect(decoded.message.fields['hour']?.kind).toEqual({ case: 'numberValue', value: 9 });
  });

  it('rejects an event of another type than the subject carries', () => {
    const note = encodeEvent(StringValueSchema, 'signals.test.counted', create(StringValueSchema, { value: 'x' }), { source: 's' });
    expect(() => decodeEvent(Int64ValueSchema, note)).toThrow(expect.objectContaining({ code: 'EVENTS_TYPE_MISMATCH' }));
  });

  it('rejects a payload that is not the declared message', () => {
    const event = codec.encode('signals.test.counted', create(Int64ValueSchema, { value: 1n }));
    const corrupt = { ...event, data: new Uint8Array([0x0a, 0xff, 0xff]) };
    expect(() => decodeEvent(Int64ValueSchema, corrupt)).toThrow(expect.objectContaining({ code: 'EVENTS_DECODE_FAILED' }));
  });

  it('rejects a delivery without CloudEvents headers', () => {
    expect(() => readEnvelope({ subject: 's', headers: {}, data: new Uint8Array() })).toThrow(
      expect.objectContaining({ code: 'EVENTS_DECODE_FAILED' }),
    );
  });

  it('refuses a subject outside the map and a message of the wrong type', () => {
    const unknown = 'signals.unknown' as keyof typeof subjects;
    expect(() => codec.encode(unknown, create(Int64ValueSchema))).toThrow(expect.objectContaining({ code: 'EVENTS_UNKNOWN_SUBJECT' }));
    const wrong = create(StructSchema) as unknown as ReturnType<typeof create<typeof Int64ValueSchema>>;
    expect(() => codec.encode('signals.test.counted', wrong)).toThrow(expect.objectContaining({ code: 'EVENTS_TYPE_MISMATCH' }));
  });
});
