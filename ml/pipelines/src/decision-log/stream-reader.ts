import { DeliverPolicy, JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { subjects, type TipFeedback, type TipServed } from '@oo/contracts';
import { createEventCodec, prefixStream, prefixSubject, type RawEvent } from '@oo/events';
import { formatCount, silentProgress, type ProgressFn } from '../cli/progress';
import { joinDecisionLog, type DecisionLog } from './decision-log';

export interface StreamSource {
  readonly servers: string | string[];
  /** STREAM_PREFIX of the deployment (tests); empty in production. */
  readonly prefix?: string;
  /** Replay from this publish time; from the start of the stream when absent. */
  readonly since?: Date;
}

/** The log could not be read from JetStream (no server, no stream). */
export class StreamReadError extends Error {
  readonly code = 'PIPELINES_STREAM_READ_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StreamReadError';
  }
}

const codec = createEventCodec(subjects, { source: 'ml-pipelines' });
const PROGRESS_EVERY = 5_000;

/**
 * Replays `signals.tip.served` and `signals.tip.feedback` from SIGNALS with ordered consumers
 * (ephemeral, no server state left behind; one filter subject each for nats-server 2.9) and
 * joins them. Each replay stops at the last event stored when it began.
 *
 * @example
 * const log = await readDecisionLogFromStream({ servers: 'nats://127.0.0.1:4222', since: sevenDaysAgo });
 */
export async function readDecisionLogFromStream(source: StreamSource, progress: ProgressFn = silentProgress): Promise<DecisionLog & { undecodable: number }> {
  const prefix = source.prefix ?? '';
  const stream = prefixStream(prefix, 'SIGNALS');
  const nc = await connect({ servers: source.servers, name: 'ml-pipelines' }).catch((cause: unknown) => {
    throw new StreamReadError(`cannot connect to NATS at ${String(source.servers)}: ${describe(cause)}`, { cause });
  });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.info(stream).catch((cause: unknown) => {
      const missing = cause instanceof JetStreamApiError && cause.code === JetStreamApiCodes.StreamNotFound;
      throw new StreamReadError(missing ? `stream ${stream} does not exist (run npm run provision, or check STREAM_PREFIX)` : `cannot read stream ${stream}: ${describe(cause)}`, { cause });
    });
    const observedAt = new Date();
    const js = jetstream(nc);
    let read = 0;
    let undecodable = 0;
    const replay = async <T>(subject: 'signals.tip.served' | 'signals.tip.feedback'): Promise<T[]> => {
      const out: T[] = [];
      const consumer = await js.consumers.get(stream, {
        filter_subjects: prefixSubject(prefix, subject),
        ...(source.since ? { opt_start_time: source.since.toISOString() } : { deliver_policy: DeliverPolicy.All }),
      });
      try {
        let remaining = (await consumer.info(true)).num_pending;
        if (remaining === 0) return out;
        const messages = await consumer.consume({ max_messages: 1_000 });
        for await (const m of messages) {
          try {
            out.push(codec.decode(subject, toRaw(m, subject)).message as T);
          } catch {
            undecodable++;
          }
          if (++read % PROGRESS_EVERY === 0) progress(`read ${formatCount(read)} events`);
          if (--remaining <= 0 || m.info.pending === 0) break;
        }
        await messages.close();
      } finally {
        await consumer.delete().catch(() => undefined);
      }
      return out;
    };
    const served = await replay<TipServed>('signals.tip.served');
    const feedback = await replay<TipFeedback>('signals.tip.feedback');
    progress(`read ${formatCount(read)} events: ${formatCount(served.length)} decisions, ${formatCount(feedback.length)} feedback`);
    return { ...joinDecisionLog(served, feedback, observedAt), undecodable };
  } finally {
    await nc.close();
  }
}

function toRaw(m: JsMsg, subject: string): RawEvent {
  const headers: Record<string, string> = {};
  for (const key of m.headers?.keys() ?? []) headers[key] = m.headers?.get(key) ?? '';
  return { subject, headers, data: m.data };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
