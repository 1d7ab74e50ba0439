import { DeliverPolicy, type JetStreamClient, type JsMsg, type OrderedConsumerOptions } from '@nats-io/jetstream';

export interface ReplayStart {
  /** Replay from this publish time. */
  readonly time?: Date;
  /** Replay from this stream sequence (wins over `time`). */
  readonly seq?: number;
}

/**
 * Reads one subject of a stream with an ordered consumer: ephemeral, no acks, deleted when done,
 * so nothing is left on the server. Stops at the last message stored when it began; returns how
 * many it read. One filter subject, as nats-server 2.9 needs.
 *
 * @example
 * await replaySubject(js, 'SIGNALS', 'signals.tip.served', { time: since }, (m) => handle(m));
 */
export async function replaySubject(
  js: JetStreamClient,
  stream: string,
  subject: string,
  start: ReplayStart,
  /** Returning `'stop'` ends the replay early (a message past a time limit). */
  onMessage: (m: JsMsg) => void | 'stop' | undefined,
  options: { headersOnly?: boolean } = {},
): Promise<number> {
  const from: Partial<OrderedConsumerOptions> =
    start.seq !== undefined
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start.seq }
      : start.time
        ? { opt_start_time: start.time.toISOString() }
        : { deliver_policy: DeliverPolicy.All };
  const consumer = await js.consumers.get(stream, { filter_subjects: subject, headers_only: options.headersOnly === true, ...from });
  let read = 0;
  try {
    let remaining = (await consumer.info(true)).num_pending;
    if (remaining === 0) return 0;
    const messages = await consumer.consume({ max_messages: 1_000 });
    for await (const m of messages) {
      if (onMessage(m) === 'stop') break;
      read++;
      if (--remaining <= 0 || m.info.pending === 0) break;
    }
    await messages.close();
  } finally {
    await consumer.delete().catch(() => undefined);
  }
  return read;
}

/** A message's headers as a plain record (what the CloudEvents decoder reads). */
export function headersOf(m: JsMsg): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const key of m.headers?.keys() ?? []) headers[key] = m.headers?.get(key) ?? '';
  return headers;
}
