import { Router } from 'express';
import { z } from 'zod';
import { principal, requireAdmin, validate } from '@oo/http';
import type { PromotionRow } from '../features/promotion/promotion.repository';
import { promotionHistory } from '../features/promotion/promotion.repository';
import { applyPromotion, currentAssignment, evaluatePromotion, revertPromotion, type PromotionDeps, type PromotionEvaluation } from '../features/promotion/promotion.service';

const promotionBody = z.strictObject({
  /** Evaluate decisions served at or after this time (later of it and the last switch). */
  since: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  /** Evaluate and say what would happen, without switching. */
  dryRun: z.boolean().default(false),
});
const promotionParams = z.strictObject({ promotionId: z.uuid() });
const historyQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/**
 * The policy assignment and its switches (ADR 0019). `GET /v1/policies`: the assignment in force
 * and the latest switches. Admins only: `POST /v1/policies/promotions {since, dryRun}` evaluates
 * every shadow against the live policy on the decision log and promotes one if the rule allows
 * (201, or 200 with the reasons it did not); `POST /v1/policies/promotions/{id}/revert` undoes the
 * switch in force.
 */
export function policiesRouter(deps: PromotionDeps): Router {
  const router = Router();
  router.get('/v1/policies', async (req, res) => {
    const { limit } = validate(historyQuery, req.query, 'query');
    const [assignment, history] = await Promise.all([currentAssignment(deps.db), promotionHistory(deps.db, limit)]);
    res.json({ assignment: assignment ?? null, history: history.map(toJson) });
  });
  router.post('/v1/policies/promotions', requireAdmin(), async (req, res) => {
    const { since, dryRun } = validate(promotionBody, req.body, 'body');
    const evaluation = await evaluatePromotion(deps, since);
    if (dryRun || !evaluation.verdict.promote) return void res.json({ promoted: false, evaluation: evaluationJson(evaluation) });
    const row = await applyPromotion(deps, evaluation, `admin:${principal(res).userId}`);
    res.status(201).json({ promoted: true, promotion: toJson(row), evaluation: evaluationJson(evaluation) });
  });
  router.post('/v1/policies/promotions/:promotionId/revert', requireAdmin(), async (req, res) => {
    const { promotionId } = validate(promotionParams, req.params, 'params');
    const row = await revertPromotion(deps, promotionId, `admin:${principal(res).userId}`);
    res.status(201).json({ promotion: toJson(row) });
  });
  return router;
}

/** A switch as the API shows it. */
export function toJson(row: PromotionRow) {
  return {
    promotionId: row.promotion_id,
    livePolicy: row.live_policy,
    previousLivePolicy: row.previous_live_policy,
    shadowPolicies: row.shadow_policies,
    actor: row.actor,
    revertsPromotionId: row.reverts_promotion_id,
    promotedAt: row.promoted_at.toISOString(),
    evidence: row.evidence,
  };
}

function evaluationJson(evaluation: PromotionEvaluation) {
  return { since: evaluation.since.toISOString(), basedOn: evaluation.basedOn, decisions: evaluation.decisions, ...evaluation.verdict };
}
