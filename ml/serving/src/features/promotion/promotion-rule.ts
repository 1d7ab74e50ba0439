import type { Estimate } from '@oo/bandit';
import type { OpeReport, PolicyRow } from '@oo/off-policy';

/** One policy's estimates as a promotion records them. */
export interface PolicyEstimateRecord {
  readonly policy: string;
  readonly role: 'live' | 'shadow';
  readonly decisions: number;
  readonly effectiveSampleSize: number;
  readonly snips: Estimate;
  readonly dr: Estimate;
}

/** What the rule concluded from one evaluation: the shadow to promote (or none), and why not for the others. */
export interface PromotionVerdict {
  readonly rule: string;
  readonly live: string | null;
  readonly promote: string | null;
  readonly shadows: readonly string[];
  readonly reasons: readonly string[];
  readonly estimates: readonly PolicyEstimateRecord[];
}

export interface RuleOptions {
  readonly minDecisions: number;
  /** Policies ml-serving can score; a shadow outside the catalog cannot become live. */
  readonly known: (policy: string) => boolean;
}

const f = (x: number): string => x.toFixed(4);

/**
 * The promotion rule: a shadow is promoted only when the lower bound of its SNIPS estimate beats
 * the live policy's SNIPS upper bound, and the same for DR, with both policies evaluated on at
 * least `minDecisions` settled decisions. Two estimators must agree because each has a failure
 * mode the other does not share (SNIPS' bias under large weights, DR's reliance on the reward
 * model). Among shadows that pass, the one with the highest DR lower bound wins.
 *
 * @example
 * const verdict = decidePromotion(report, { minDecisions: 500, known: (p) => catalog.has(p) });
 */
export function decidePromotion(report: OpeReport, options: RuleOptions): PromotionVerdict {
  const min = options.minDecisions;
  const rule = `snips.lower > live.snips.upper and dr.lower > live.dr.upper, n >= ${min} for both`;
  const liveRow = report.policies.find((p) => p.role === 'live');
  const shadowRows = report.policies.filter((p) => p.role === 'shadow');
  const estimates = [liveRow, ...shadowRows].flatMap((p) => (p ? record(p) : []));
  const shadows = shadowRows.map((p) => p.label.slice('shadow:'.length));
  const keep = (reasons: string[], live: string | null = null): PromotionVerdict => ({ rule, live, promote: null, shadows, reasons, estimates });
  if (!liveRow?.evaluation) return keep(['no settled decisions of the live policy in the evidence window']);
  if (liveRow.names.length !== 1) return keep([`the live policy changed inside the evidence window (${liveRow.names.join(', ')}); evaluate from after the switch`]);
  const live = liveRow.names[0] as string;
  const liveEval = liveRow.evaluation;
  if (liveRow.n < min) return keep([`the live policy ${live} has ${liveRow.n} settled decisions, fewer than ${min}`], live);
  const reasons: string[] = [];
  let best: { name: string; drLower: number } | undefined;
  for (const row of shadowRows) {
    const name = row.label.slice('shadow:'.length);
    const e = row.evaluation;
    if (name === live) continue;
    if (!options.known(name)) reasons.push(`${name}: not in ml-serving's policy catalog`);
    else if (!e || row.n < min) reasons.push(`${name}: ${row.n} settled decisions, fewer than ${min}`);
    else if (!(e.snips.lower > liveEval.snips.upper)) reasons.push(`${name}: SNIPS lower bound ${f(e.snips.lower)} does not beat the live upper bound ${f(liveEval.snips.upper)}`);
    else if (!(e.dr.lower > liveEval.dr.upper)) reasons.push(`${name}: DR lower bound ${f(e.dr.lower)} does not beat the live upper bound ${f(liveEval.dr.upper)}`);
    else if (!best || e.dr.lower > best.drLower) best = { name, drLower: e.dr.lower };
  }
  if (shadowRows.length === 0) reasons.push('no shadow policy scored in the evidence window');
  return { rule, live, promote: best?.name ?? null, shadows, reasons, estimates };
}

function record(row: PolicyRow): PolicyEstimateRecord[] {
  const e = row.evaluation;
  if (!e) return [];
  const policy = row.role === 'shadow' ? row.label.slice('shadow:'.length) : (row.names.join(',') || row.label);
  return [{ policy, role: row.role === 'shadow' ? 'shadow' : 'live', decisions: row.n, effectiveSampleSize: e.effectiveSampleSize, snips: e.snips, dr: e.dr }];
}
