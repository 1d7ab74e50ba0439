interface Interval {
  value: number;
  lower: number;
  upper: number;
}
interface Estimate {
  policy: string;
  role: string;
  decisions: number;
  snips: Interval;
  dr: Interval;
}
interface Switch {
  promotionId: string;
  livePolicy: string;
  previousLivePolicy: string;
  shadowPolicies: string[];
  actor: string;
  revertsPromotionId: string | null;
  promotedAt: string;
}

const f3 = (x: number): string => x.toFixed(3);
const interval = (i: Interval): string => `${f3(i.value)} [${f3(i.lower)}, ${f3(i.upper)}]`;
const describeSwitch = (s: Switch): string =>
  `${s.promotedAt}  ${s.revertsPromotionId ? 'reverted' : 'promoted'} ${s.livePolicy} (was ${s.previousLivePolicy}; shadows ${s.shadowPolicies.join(', ') || 'none'}) by ${s.actor}  ${s.promotionId}`;

/**
 * The answer of a promotion as a person reads it: what happened, each policy's intervals, why not.
 *
 * @example
 * process.stdout.write(formatPromotion(body));
 */
export function formatPromotion(body: Record<string, unknown>): string {
  const evaluation = (body['evaluation'] ?? {}) as { since?: string; rule?: string; live?: string | null; estimates?: Estimate[]; reasons?: string[]; promote?: string | null };
  const promotion = body['promotion'] as Switch | undefined;
  const lines: string[] = [];
  if (promotion) lines.push(promotion.revertsPromotionId ? `Reverted: ${promotion.livePolicy} is live again.` : `Promoted ${promotion.livePolicy}: it is live now (was ${promotion.previousLivePolicy}).`);
  else if (evaluation.promote) lines.push(`Would promote ${evaluation.promote} (dry run).`);
  else if (evaluation.rule) lines.push(`Nothing promoted: ${evaluation.live ?? 'the live policy'} stays live.`);
  if (evaluation.since) lines.push(`Evidence: decisions since ${evaluation.since}; rule: ${evaluation.rule}.`);
  const estimates = evaluation.estimates ?? [];
  if (estimates.length > 0) {
    lines.push('', 'policy            role    n       SNIPS                 DR');
    for (const e of estimates) lines.push(`${e.policy.padEnd(18)}${e.role.padEnd(8)}${String(e.decisions).padEnd(8)}${interval(e.snips).padEnd(22)}${interval(e.dr)}`);
  }
  for (const reason of evaluation.reasons ?? []) lines.push(`  not promoted: ${reason}`);
  if (promotion) lines.push('', `promotion id ${promotion.promotionId} (npm run promote -- --revert ${promotion.promotionId} undoes it)`);
  return `${lines.join('\n')}\n`;
}

/** The assignment in force and the latest switches. */
export function formatStatus(body: Record<string, unknown>): string {
  const assignment = body['assignment'] as { live: string; shadows: string[] } | null;
  const history = (body['history'] ?? []) as Switch[];
  const head = assignment
    ? `Live: ${assignment.live}; shadows: ${assignment.shadows.join(', ') || 'none'}.`
    : 'No switch yet: the recommender’s LIVE_POLICY and SHADOW_POLICIES apply.';
  return `${[head, ...history.map(describeSwitch)].join('\n')}\n`;
}
