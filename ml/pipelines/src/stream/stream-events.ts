import { DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { prefixSubject, replaySubject } from '@oo/events';
import { StreamReadError } from '../decision-log/stream-reader';
import { eventLine, type EventLine } from './event-json';

export interface StreamConnection {
  readonly servers: string | string[];
  /** STREAM_PREFIX of the deployment (tests); empty in production. */
  readonly prefix?: string;
}

export interface EventSink {
  (line: EventLine): void;
}

export interface TailOptions extends StreamConnection {
  readonly filter: string;
  readonly raw?: boolean;
  /** Stop after this many events (scripts and tests); runs until `signal` aborts otherwise. */
  readonly count?: number;
  readonly signal?: AbortSignal;
  /** Called once the consumer exists, so a caller knows events published from now on are seen. */
  readonly onReady?: () => void;
}

export interface ReplayOptions extends StreamConnection {
  readonly filter: string;
  readonly since?: Date;
  /** Stop at the first event stored at or after this time; at the end of the stream otherwise. */
  readonly until?: Date;
  readonly raw?: boolean;
}

/**
 * `stream tail`: events as they arrive on the stream that holds `filter`, through an ordered
 * consumer (ephemeral, no acks, gone when the tail stops). Resolves with how many it wrote.
 *
 * @example
 * await tailEvents({ servers, filter: 'signals.tip.*', signal: ctrl.signal }, (line) => print(line));
 */
export async function tailEvents(options: TailOptions, sink: EventSink): Promise<number> {
  return withStream(options, async (nc, stream, subject) => {
    const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: subject, deliver_policy: DeliverPolicy.New });
    let written = 0;
    try {
      const messages = await consumer.consume({ max_messages: 256 });
      const stop = (): void => void messages.close();
      options.signal?.addEventListener('abort', stop, { once: true });
      options.onReady?.();
      if (options.signal?.aborted) stop();
      for await (const m of messages) {
        sink(logical(eventLine(m, { raw: options.raw === true }), options.prefix));
        if (++written === options.count) break;
      }
      options.signal?.removeEventListener('abort', stop);
      await messages.close();
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return written;
  });
}

/**
 * `stream replay`: the events of `filter` stored between `since` and `until`, in stream order,
 * stopping at the last event stored when the replay began.
 *
 * @example
 * await replayEvents({ servers, filter: 'signals.>', since, until }, (line) => print(line));
 */
export async function replayEvents(options: ReplayOptions, sink: EventSink): Promise<number> {
  if (options.since && options.until && options.until.getTime() <= options.since.getTime()) {
    throw new RangeError(`--until (${options.until.toISOString()}) must be later than --since (${options.since.toISOString()})`);
  }
  const untilNanos = options.until ? BigInt(options.until.getTime()) * 1_000_000n : undefined;
  return withStream(options, async (nc, stream, subject) => {
    let written = 0;
    await replaySubject(jetstream(nc), stream, subject, { time: options.since }, (m: JsMsg) => {
      if (untilNanos !== undefined && m.timestampNanos >= untilNanos) return 'stop';
      sink(logical(eventLine(m, { raw: options.raw === true }), options.prefix));
      written++;
      return undefined;
    });
    return written;
  });
}

async function withStream<T>(options: StreamConnection & { filter: string }, run: (nc: NatsConnection, stream: string, subject: string) => Promise<T>): Promise<T> {
  const subject = prefixSubject(options.prefix ?? '', options.filter);
  const nc = await connect({ servers: options.servers, name: 'ml-pipelines-stream' }).catch((cause: unknown) => {
    throw new StreamReadError(`cannot connect to NATS at ${String(options.servers)}: ${describe(cause)}`, { cause });
  });
  try {
    const jsm = await jetstreamManager(nc);
    const streams: string[] = [];
    for await (const name of jsm.streams.names(subject)) streams.push(name);
    if (streams.length === 0) throw new StreamReadError(`no stream holds "${subject}" (check the filter, STREAM_PREFIX, or run npm run provision)`);
    // One ordered consumer reads one stream: a filter spanning streams (">") cannot be followed as one sequence.
    if (streams.length > 1) throw new StreamReadError(`"${subject}" spans the streams ${streams.sort().join(', ')}; narrow the filter to one of them`);
    return await run(nc, streams[0] as string, subject);
  } finally {
    await nc.close();
  }
}

// Lines name the subject as the system knows it; a test deployment's prefix is noise to a reader.
function logical(line: EventLine, prefix: string | undefined): EventLine {
  return prefix && line.subject.startsWith(`${prefix}.`) ? { ...line, subject: line.subject.slice(prefix.length + 1) } : line;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
