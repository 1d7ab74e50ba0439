import type { Logger } from '@oo/logger';
import { applyPromotion, evaluatePromotion, type PromotionDeps } from './promotion.service';
import type { PromotionRow } from './promotion.repository';
import { latestPromotion } from './promotion.repository';

export interface AutoPromotionOptions {
  readonly intervalMs: number;
  /** At most one switch per window; the evidence is the window's decisions. */
  readonly windowMs: number;
  /** No promotion while more than this share of the window's settled decisions fell back. */
  readonly maxFallbackShare: number;
  readonly log: Logger;
}

/**
 * Why the automatic step must not switch now, or null when it may: a switch (promotion or
 * reversal — a reversal is a person's decision to be respected) inside the window, or too many
 * fallback decisions (then the live policy's numbers describe an outage more than the policy).
 *
 * @example
 * autoPromotionObjection({ latest, now, windowMs: 7 * DAY, fallbackShare: 0.02, maxFallbackShare: 0.05 }); // null
 */
export function autoPromotionObjection(input: { latest: PromotionRow | undefined; now: Date; windowMs: number; fallbackShare?: number; maxFallbackShare: number }): string | null {
  const { latest, now, windowMs } = input;
  if (latest && now.getTime() - latest.promoted_at.getTime() < windowMs) {
    return `the last switch (${latest.promotion_id}, ${latest.promoted_at.toISOString()}) is inside the window of ${windowMs} ms`;
  }
  if (input.fallbackShare !== undefined && input.fallbackShare > input.maxFallbackShare) {
    return `${(input.fallbackShare * 100).toFixed(1)} % of the window's decisions fell back (more than ${(input.maxFallbackShare * 100).toFixed(1)} %)`;
  }
  return null;
}

/**
 * One round of the automatic step: evaluate the window and promote if the rule and the guard
 * both allow it. Returns the switch made, or the reason there was none.
 *
 * @example
 * const outcome = await autoPromoteOnce(deps, { windowMs, maxFallbackShare: 0.05 });
 */
export async function autoPromoteOnce(deps: PromotionDeps, options: Omit<AutoPromotionOptions, 'intervalMs' | 'log'>): Promise<{ promoted: PromotionRow } | { skipped: string }> {
  const now = deps.clock();
  const early = autoPromotionObjection({ latest: await latestPromotion(deps.db), now, windowMs: options.windowMs, maxFallbackShare: options.maxFallbackShare });
  if (early) return { skipped: early };
  const evaluation = await evaluatePromotion(deps, new Date(now.getTime() - options.windowMs));
  const settled = evaluation.decisions.settled;
  const fallbackShare = settled > 0 ? evaluation.decisions.fallback / settled : 0;
  const objection = autoPromotionObjection({ latest: undefined, now, windowMs: options.windowMs, fallbackShare, maxFallbackShare: options.maxFallbackShare });
  if (objection) return { skipped: objection };
  if (!evaluation.verdict.promote) return { skipped: evaluation.verdict.reasons.join('; ') || 'no shadow beats the live policy' };
  // The window is checked again under the lock: another instance may have switched meanwhile.
  const guard = (latest: PromotionRow | undefined) => autoPromotionObjection({ latest, now: deps.clock(), windowMs: options.windowMs, maxFallbackShare: options.maxFallbackShare });
  return { promoted: await applyPromotion(deps, evaluation, 'automatic', guard) };
}

/**
 * The automatic step on a timer (PROMOTION_AUTO=on); every instance may run it, the lock and the
 * window keep it to one switch.
 *
 * @example
 * const auto = startAutoPromotion(deps, { intervalMs: 3_600_000, windowMs, maxFallbackShare: 0.05, log });
 * await auto.stop();
 */
export function startAutoPromotion(deps: PromotionDeps, options: AutoPromotionOptions): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      try {
        const outcome = await autoPromoteOnce(deps, options);
        if ('promoted' in outcome) options.log.info({ promotionId: outcome.promoted.promotion_id, live: outcome.promoted.live_policy }, 'promoted a shadow policy automatically');
        else options.log.debug({ reason: outcome.skipped }, 'no automatic promotion');
      } catch (err) {
        options.log.warn({ err }, 'automatic promotion failed; trying again next round');
      }
    });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
