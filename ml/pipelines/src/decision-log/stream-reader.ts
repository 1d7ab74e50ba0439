import { JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { subjects, type TipFeedback, type TipServed } from '@oo/contracts';
import { createEventCodec, headersOf, prefixStream, prefixSubject, replaySubject } from '@oo/events';
import { formatCount, silentProgress, type ProgressFn } from '../cli/progress';
import { joinDecisionLog, type DecisionLog } from '@oo/off-policy';

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
      await replaySubject(js, stream, prefixSubject(prefix, subject), { time: source.since }, (m) => {
        try {
          out.push(codec.decode(subject, { subject, headers: headersOf(m), data: m.data }).message as T);
        } catch {
          undecodable++;
        }
        if (++read % PROGRESS_EVERY === 0) progress(`read ${formatCount(read)} events`);
      });
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

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
