import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { TipFeedback, TipServed } from '@oo/contracts';

/**
 * One decision as the log holds it: the served tip and every feedback event for it. Which
 * feedback counts (the latest inside the reward window) is decided when the log is settled, so
 * an export keeps everything and can be re-read with another window.
 */
export interface LoggedTip {
  readonly served: TipServed;
  readonly feedback: readonly TipFeedback[];
  /**
   * When the log was read. A decision without feedback is only known to have had none up to this
   * moment, so an exported log re-read later must not count it as settled silence too early.
   */
  readonly observedAt: Date;
}

/** A decision log assembled from served and feedback events. */
export interface DecisionLog {
  readonly tips: LoggedTip[];
  /** Feedback whose decision is not in the log (served before the window read, or lost). */
  readonly orphanFeedback: number;
  /** Served events repeated under the same decision id (kept once). */
  readonly duplicateServed: number;
}

/**
 * Joins feedback to decisions by decision id, keeping the order decisions were served in.
 *
 * @example
 * const log = joinDecisionLog(servedEvents, feedbackEvents, new Date());
 */
export function joinDecisionLog(served: Iterable<TipServed>, feedback: Iterable<TipFeedback>, observedAt: Date): DecisionLog {
  const byId = new Map<string, { served: TipServed; feedback: TipFeedback[] }>();
  let duplicateServed = 0;
  for (const s of served) {
    if (byId.has(s.decisionId)) duplicateServed++;
    else byId.set(s.decisionId, { served: s, feedback: [] });
  }
  let orphanFeedback = 0;
  for (const f of feedback) {
    const entry = byId.get(f.decisionId);
    if (entry) entry.feedback.push(f);
    else orphanFeedback++;
  }
  const tips = [...byId.values()].map((t) => ({ ...t, observedAt }));
  return { tips, orphanFeedback, duplicateServed };
}

/** When the decision was served, or undefined when the event has no time. */
export function servedTime(served: TipServed): Date | undefined {
  return served.servedAt ? timestampDate(served.servedAt) : undefined;
}

/**
 * Keeps decisions served at or after `since` (the stream is read from `since` by publish time;
 * this makes the cut by decision time, the same for stream and file).
 */
export function servedSince(tips: readonly LoggedTip[], since: Date | undefined): LoggedTip[] {
  if (!since) return [...tips];
  return tips.filter((t) => (servedTime(t.served)?.getTime() ?? Number.NEGATIVE_INFINITY) >= since.getTime());
}
