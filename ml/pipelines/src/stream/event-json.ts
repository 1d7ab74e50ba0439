import { createRegistry, fromBinary, toJson, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import { subjects } from '@oo/contracts';
import { headersOf, readEnvelope } from '@oo/events';
import type { JsMsg } from '@nats-io/jetstream';

/** One stream message as a JSON line: where it sits, its CloudEvent envelope and its decoded payload. */
export interface EventLine {
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
  /** When the broker stored it (RFC 3339, nanoseconds dropped to milliseconds). */
  readonly storedAt: string;
  readonly id: string | null;
  readonly type: string | null;
  readonly source: string | null;
  readonly time: string | null;
  readonly userId: string | null;
  /** Canonical protobuf JSON of the payload; null when it could not be decoded (see `error`). */
  readonly data: JsonValue | null;
  readonly error?: string;
  /** The protobuf payload, base64, when asked for (`--raw`): what a Python reader decodes itself. */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const messageTypes = createRegistry(...Object.values(subjects));

/** The message schemas the decoder knows, by their fully qualified name (the CloudEvent `ce-type`). */
export function schemaForType(type: string): DescMessage | undefined {
  return messageTypes.getMessage(type);
}

/**
 * Decodes a stored message by its `ce-type` (not its subject, so a filter over several subjects
 * decodes each by its own schema). Never throws: what cannot be read is reported in `error`.
 *
 * @example
 * process.stdout.write(`${JSON.stringify(eventLine(m, { raw: false }))}\n`);
 */
export function eventLine(m: JsMsg, options: { raw: boolean }): EventLine {
  const headers = headersOf(m);
  const base = {
    stream: m.info.stream,
    seq: m.seq,
    subject: m.subject,
    storedAt: m.time.toISOString(),
    ...(options.raw ? { raw: Buffer.from(m.data).toString('base64'), headers } : {}),
  };
  let envelope: ReturnType<typeof readEnvelope>;
  try {
    envelope = readEnvelope({ subject: m.subject, headers, data: m.data });
  } catch (cause) {
    return { ...base, id: null, type: null, source: null, time: null, userId: null, data: null, error: describe(cause) };
  }
  const found = { ...base, id: envelope.id, type: envelope.type, source: envelope.source, time: envelope.time?.toISOString() ?? null, userId: envelope.userId ?? null };
  const schema = schemaForType(envelope.type);
  if (!schema) return { ...found, data: null, error: `unknown ce-type ${envelope.type} (a newer schema than this tool?)` };
  try {
    return { ...found, data: toJson(schema, fromBinary(schema, m.data), { registry: messageTypes }) };
  } catch (cause) {
    return { ...found, data: null, error: `payload is not a ${envelope.type}: ${describe(cause)}` };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
