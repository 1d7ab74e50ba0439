import { z } from 'zod';
import { isoDateTime } from './common.schemas';

const interval = z.object({ value: z.number(), lower: z.number(), upper: z.number() }).meta({ id: 'EstimateInterval' });

const policyEstimate = z
  .object({
    policy: z.string(),
    role: z.enum(['live', 'shadow']),
    decisions: z.number().int(),
    effectiveSampleSize: z.number(),
    snips: interval,
    dr: interval,
  })
  .meta({ id: 'PolicyEstimate', description: "A policy's estimated reward per decision on the decision log" });

export const policySwitchSchema = z
  .object({
    promotionId: z.string(),
    livePolicy: z.string(),
    previousLivePolicy: z.string(),
    shadowPolicies: z.array(z.string()),
    actor: z.string().meta({ description: '`admin:<user id>` or `automatic`' }),
    revertsPromotionId: z.string().nullable(),
    promotedAt: isoDateTime,
    evidence: z.unknown().nullable().meta({ description: 'What the promotion was decided on (since, rule, decisions, estimates); null for a reversal' }),
  })
  .meta({ id: 'PolicySwitch' });

export const policiesSchema = z
  .object({
    assignment: z.object({ live: z.string(), shadows: z.array(z.string()), promotionId: z.string() }).nullable().meta({ description: "Null until the first switch: the recommender's LIVE_POLICY / SHADOW_POLICIES apply" }),
    history: z.array(policySwitchSchema),
  })
  .meta({ id: 'Policies' });

export const promotionRequestSchema = z
  .strictObject({
    since: isoDateTime.meta({ description: 'Evaluate decisions served from then (or from the last switch, if later)' }),
    dryRun: z.boolean().optional().meta({ description: 'Evaluate only; never switch' }),
  })
  .meta({ id: 'PromotionRequest' });

const promotionEvaluation = z
  .object({
    since: isoDateTime,
    basedOn: z.string().nullable(),
    rule: z.string(),
    live: z.string().nullable(),
    promote: z.string().nullable(),
    shadows: z.array(z.string()),
    reasons: z.array(z.string()).meta({ description: 'Why each other shadow was not promoted' }),
    estimates: z.array(policyEstimate),
    decisions: z.object({ total: z.number(), settled: z.number(), unsettled: z.number(), fallback: z.number(), invalid: z.number(), untimed: z.number() }),
  })
  .meta({ id: 'PromotionEvaluation' });

export const promotionResultSchema = z
  .object({ promoted: z.boolean(), promotion: policySwitchSchema.optional(), evaluation: promotionEvaluation })
  .meta({ id: 'PromotionResult' });

export const revertResultSchema = z.object({ promotion: policySwitchSchema }).meta({ id: 'PolicyReversal' });

export const promotionIdParams = z.strictObject({ promotionId: z.uuid() });
export const policiesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });
