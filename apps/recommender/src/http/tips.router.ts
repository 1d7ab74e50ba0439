import { Router } from 'express';
import { z } from 'zod';
import { pageRequest, principal, requestContext, toPage, validate } from '@oo/http';
import type { Kysely } from '@oo/db';
import type { RecommenderDatabase } from '../db/database';
import { RecommenderError } from '../errors';
import { UUID_PATTERN } from '../features/decisions/decision-id';
import { recentTips, usersTip } from '../features/decisions/decisions.repository';
import { REACTIONS, recordFeedback, type FeedbackDeps } from '../features/feedback/feedback.service';

const feedbackBody = z.strictObject({ reaction: z.enum(REACTIONS) });
// Decision ids are UUIDs: anything else is the client's mistake, said as such.
const feedbackParams = z.object({ decisionId: z.string().regex(UUID_PATTERN, 'must be a decision id (a UUID)') });

const historyCursor = z.object({ servedAt: z.iso.datetime(), decisionId: z.string().regex(UUID_PATTERN) });

/** Feedback on a served tip, one tip by its decision id, and the caller's recent tips (`?limit=&cursor=`, newest first). */
export function tipsRouter(db: Kysely<RecommenderDatabase>, deps: FeedbackDeps): Router {
  const router = Router();
  router.post('/v1/tips/:decisionId/feedback', async (req, res) => {
    const { decisionId } = validate(feedbackParams, req.params, 'params');
    const { reaction } = validate(feedbackBody, req.body ?? {}, 'body');
    const { created, feedback } = await recordFeedback(deps, principal(res).userId, decisionId.toLowerCase(), reaction, requestContext(res).traceparent);
    res.status(created ? 202 : 200).json(feedback);
  });
  router.get('/v1/tips/history', async (req, res) => {
    const { limit, after } = pageRequest(req.query, historyCursor);
    const position = after && { servedAt: new Date(after.servedAt), decisionId: after.decisionId };
    const rows = await recentTips(db, principal(res).userId, limit + 1, position);
    res.json(toPage(rows, limit, (last) => ({ servedAt: last.servedAt, decisionId: last.decisionId })));
  });
  // Where a notification's link leads: the tip it carried, and the reaction if one was given.
  router.get('/v1/tips/:decisionId', async (req, res) => {
    const { decisionId } = validate(feedbackParams, req.params, 'params');
    const tip = await usersTip(db, principal(res).userId, decisionId.toLowerCase());
    if (!tip) throw new RecommenderError('RECOMMENDER_TIP_NOT_FOUND', `no tip ${decisionId} was served to you`);
    res.json(tip);
  });
  return router;
}
