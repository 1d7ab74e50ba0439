import { Router } from 'express';
import { scoreRequestSchema } from '@oo/decision-features';
import { HttpProblem, validate } from '@oo/http';
import type { Scorer } from '../features/scoring/scoring.service';
import type { MlMetrics } from '../metrics';

/** `POST /v1/score`: probabilities for every candidate under each named policy (no database access while the user's part is in memory). */
export function scoreRouter(scorer: Scorer, metrics: MlMetrics): Router {
  return Router().post('/v1/score', async (req, res) => {
    const request = validate(scoreRequestSchema, req.body, 'body');
    const unknown = scorer.unknownPolicies(request.policies);
    if (unknown.length > 0) {
      throw new HttpProblem(400, {
        code: 'ML_UNKNOWN_POLICY',
        detail: `unknown ${unknown.length === 1 ? 'policy' : 'policies'}: ${unknown.join(', ')}`,
        extra: {
          errors: request.policies.flatMap((name, i) => (unknown.includes(name) ? [{ path: `body.policies.${i}`, message: `unknown policy "${name}"` }] : [])),
        },
      });
    }
    const stop = metrics.scoreDuration.startTimer();
    const response = await scorer.scoreForUser(request);
    stop();
    res.json(response);
  });
}
