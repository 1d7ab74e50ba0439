import { Router } from 'express';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { DEFAULT_REWARDS } from '@oo/bandit';
import { createDecisionFeaturizer } from '@oo/decision-features';
import { requireAdmin, requireAuth, validate, type JwtVerifier } from '@oo/http';
import type { Kysely } from '@oo/db';
import type { RecommenderDatabase } from '../db/database';
import { RecommenderError } from '../errors';
import type { Clock } from '../features/decisions/recommend.service';
import { decisionLatency } from '../features/insights/decision-latency';
import { decisionsBetween, userDecisions } from '../features/insights/insights.repository';
import { learningCurve, policyEstimates, rewardOf, type LearningOptions } from '../features/insights/learning-report';

const HOUR_MS = 3_600_000;
// Enough for a day of a busy test system; the report says how many it read.
const MAX_DECISIONS = 20_000;

// User ids as auth issues them (the gateway and profile apply the same rule).
const userParams = z.object({ userId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:@-]+$/, 'must contain only letters, digits and _ . : @ -') });
const decisionsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const learningQuery = z.strictObject({
  since: z.iso.datetime({ offset: true }).optional(),
  windowMinutes: z.coerce.number().int().min(1).max(24 * 60).optional(),
  windowDecisions: z.coerce.number().int().min(1).max(10_000).optional(),
  rewardWindowMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
});

export interface InsightsDeps {
  db: Kysely<RecommenderDatabase>;
  verifier: JwtVerifier;
  clock: Clock;
  registry: Registry;
}

/** Admins only: one user's recent decisions in full, and how the policies learn (curve, off-policy estimates, models, fallback, latency). */
export function insightsRouter({ db, verifier, clock, registry }: InsightsDeps): Router {
  const router = Router();
  const featurizer = createDecisionFeaturizer();
  const adminOnly = [requireAuth(verifier), requireAdmin()];

  router.get('/v1/admin/users/:userId/decisions', ...adminOnly, async (req, res) => {
    const { userId } = validate(userParams, req.params, 'params');
    const { limit } = validate(decisionsQuery, req.query, 'query');
    const now = clock();
    const decisions = await userDecisions(db, userId, limit);
    res.json({
      userId,
      decisions: decisions.map((d) => ({
        decisionId: d.decisionId,
        servedAt: d.servedAt.toISOString(),
        channel: d.channel,
        tipTitle: d.tipTitle,
        policy: d.policy,
        modelVersion: d.modelVersion,
        layoutVersion: d.layoutVersion,
        fallback: d.fallback,
        fallbackReason: d.fallbackReason,
        chosenIndex: d.chosenIndex,
        propensity: d.propensity,
        candidates: d.candidates.map((c, i) => ({
          id: c.id,
          kind: c.kind,
          live: d.probabilities[i] ?? null,
          shadows: Object.fromEntries(d.shadows.map((s) => [s.policy, s.probabilities[i] ?? null])),
        })),
        reaction: d.reaction,
        reactedAt: d.reactedAt?.toISOString() ?? null,
        reward: rewardOf(d, now, { rewardWindowMs: 24 * HOUR_MS, rewards: DEFAULT_REWARDS }),
      })),
    });
  });

  router.get('/v1/admin/learning', ...adminOnly, async (req, res) => {
    const query = validate(learningQuery, req.query, 'query');
    const now = clock();
    const since = query.since ? new Date(query.since) : new Date(now.getTime() - 7 * 24 * HOUR_MS);
    if (query.windowMinutes && query.windowDecisions) throw new RecommenderError('RECOMMENDER_INVALID_QUERY', 'give windowMinutes or windowDecisions, not both');
    const curveWindow: LearningOptions['curveWindow'] = query.windowDecisions ? { by: 'decisions', count: query.windowDecisions } : { by: 'time', ms: (query.windowMinutes ?? 60) * 60_000 };
    const options: LearningOptions = { now, rewardWindowMs: query.rewardWindowMinutes * 60_000, curveWindow, rewards: DEFAULT_REWARDS, resamples: 200, seed: 1, featurizer };
    const decisions = await decisionsBetween(db, since, now, MAX_DECISIONS);
    // The model version moves with every update; per policy and layout, the newest one and how many there were.
    const models = new Map<string, { policy: string; layoutVersion: string; modelVersion: string; versions: Set<string>; decisions: number; lastServedAt: Date }>();
    for (const d of decisions) {
      const key = `${d.policy}|${d.layoutVersion}`;
      const m = models.get(key) ?? { policy: d.policy, layoutVersion: d.layoutVersion, modelVersion: d.modelVersion, versions: new Set<string>(), decisions: 0, lastServedAt: d.servedAt };
      m.decisions += 1;
      m.versions.add(d.modelVersion);
      m.modelVersion = d.modelVersion;
      m.lastServedAt = d.servedAt;
      models.set(key, m);
    }
    res.json({
      since: since.toISOString(),
      until: now.toISOString(),
      decisions: decisions.length,
      truncated: decisions.length === MAX_DECISIONS,
      fallbackShare: decisions.length ? decisions.filter((d) => d.fallback).length / decisions.length : null,
      models: [...models.values()]
        .sort((a, b) => b.lastServedAt.getTime() - a.lastServedAt.getTime())
        .map(({ versions, ...m }) => ({ ...m, modelVersions: versions.size, lastServedAt: m.lastServedAt.toISOString() })),
      curve: learningCurve(decisions, options).map((p) => ({ ...p, windowStart: p.windowStart.toISOString() })),
      policies: policyEstimates(decisions, options),
      latency: await decisionLatency(registry),
    });
  });
  return router;
}
