import { jetstream } from '@nats-io/jetstream';
import { subjects, type TipFeedback, type TipServed } from '@oo/contracts';
import { createEventCodec, headersOf, prefixStream, prefixSubject, replaySubject, type EventBus, type JetStreamBus } from '@oo/events';
import { joinDecisionLog, type DecisionLog } from '@oo/off-policy';
import { MlServingError } from '../../errors';

/** Reads the decision log (served + feedback) of decisions published since a time. */
export type DecisionLogReader = (since: Date) => Promise<DecisionLog & { undecodable: number }>;

const codec = createEventCodec(subjects, { source: 'ml-serving' });

/**
 * The decision log as the offline evaluation reads it: `signals.tip.served` and
 * `signals.tip.feedback` replayed from SIGNALS with ordered consumers (ephemeral, nothing left on
 * the server), joined by decision id. The reward join's own table is not enough: it keeps only
 * the chosen candidate, while an estimate needs every probability vector and every shadow's.
 *
 * @example
 * const log = await decisionLogReader(ctx.bus, ctx.clock)(since);
 */
export function decisionLogReader(bus: EventBus, clock: () => Date): DecisionLogReader {
  return async (since) => {
    if (bus.kind !== 'jetstream') {
      throw new MlServingError('ML_DECISION_LOG_UNAVAILABLE', 'promotion reads the decision log from JetStream; this instance runs on the in-process bus');
    }
    const jsBus = bus as JetStreamBus;
    const js = jetstream(jsBus.connection);
    const stream = prefixStream(jsBus.prefix, 'SIGNALS');
    const observedAt = clock();
    let undecodable = 0;
    const replay = async <T>(subject: 'signals.tip.served' | 'signals.tip.feedback'): Promise<T[]> => {
      const out: T[] = [];
      await replaySubject(js, stream, prefixSubject(jsBus.prefix, subject), { time: since }, (m) => {
        try {
          out.push(codec.decode(subject, { subject, headers: headersOf(m), data: m.data }).message as T);
        } catch {
          undecodable++;
        }
      });
      return out;
    };
    try {
      const served = await replay<TipServed>('signals.tip.served');
      const feedback = await replay<TipFeedback>('signals.tip.feedback');
      return { ...joinDecisionLog(served, feedback, observedAt), undecodable };
    } catch (cause) {
      if (cause instanceof MlServingError) throw cause;
      throw new MlServingError('ML_DECISION_LOG_UNAVAILABLE', `cannot read the decision log from ${stream}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  };
}
