import type { Reaction } from '@oo/bandit';

/** What happened in one simulated decision. */
export interface DecisionRecord {
  readonly index: number;
  readonly userId: string;
  /** `tip`: a tip the world knows; `unknown-tip`: a tip for a candidate the simulation never made; `no-tip`: 204. */
  readonly outcome: 'tip' | 'unknown-tip' | 'no-tip';
  readonly fallback?: boolean;
  readonly policy?: string;
  readonly reaction?: Reaction;
  /** Realised reward of the sampled reaction. */
  readonly reward?: number;
  /** E[reward] of the chosen tip, of the best candidate, and the mean over candidates (uniform). */
  readonly expected?: number;
  readonly oracle?: number;
  readonly uniform?: number;
  /** The chosen tip was not among the candidates the simulation expected (e.g. advice outside its hours). */
  readonly unexpected?: boolean;
}

export interface WindowStats {
  /** 1-based decision numbers covered. */
  readonly from: number;
  readonly to: number;
  readonly decisions: number;
  readonly tips: number;
  readonly realized: number | null;
  readonly expected: number | null;
  readonly oracle: number | null;
  readonly uniform: number | null;
  /** (expected − uniform) / (oracle − uniform): 0 is no better than chance, 1 is the oracle. */
  readonly gapClosed: number | null;
  readonly fallbackShare: number | null;
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/**
 * Averages over consecutive windows of `size` decisions (by decision number); the expected,
 * oracle and uniform values count only tips the world knows.
 *
 * @example
 * const curve = learningCurve(records, 200);
 */
export function learningCurve(records: readonly DecisionRecord[], size: number): WindowStats[] {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  const windows: WindowStats[] = [];
  for (let start = 0; start < sorted.length; start += size) windows.push(summarize(sorted.slice(start, start + size)));
  return windows;
}

/**
 * The same statistics over any set of decisions.
 *
 * @example
 * const overall = summarize(records);
 */
export function summarize(records: readonly DecisionRecord[]): WindowStats {
  const known = records.filter((r) => r.outcome === 'tip');
  const served = records.filter((r) => r.outcome !== 'no-tip');
  const pick = (key: 'reward' | 'expected' | 'oracle' | 'uniform') => known.map((r) => r[key] ?? 0);
  const expected = mean(pick('expected'));
  const oracle = mean(pick('oracle'));
  const uniform = mean(pick('uniform'));
  const gap = oracle !== null && uniform !== null ? oracle - uniform : 0;
  return {
    from: (records[0]?.index ?? 0) + 1,
    to: (records[records.length - 1]?.index ?? -1) + 1,
    decisions: records.length,
    tips: served.length,
    realized: mean(pick('reward')),
    expected,
    oracle,
    uniform,
    gapClosed: expected !== null && uniform !== null && gap > 1e-9 ? (expected - uniform) / gap : null,
    fallbackShare: served.length ? served.filter((r) => r.fallback).length / served.length : null,
  };
}
