import { Router } from 'express';
import { z } from 'zod';
import { pageRequest, requireSelfOrAdmin, toPage, validate } from '@oo/http';
import { changeConsent, listConsents, type ConsentsDeps } from '../features/consents/consents.service';
import { userIdParams } from './user-param';

// Strict: a misspelt field is an error the client should hear about, not silently dropped.
const consentBody = z.strictObject({
  purpose: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a lower-case identifier such as push_notifications'),
  // Control characters (NUL above all, which Postgres text cannot hold) are no version label.
  version: z.string().min(1).max(32).regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
  textHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the text shown, in hex'),
  granted: z.boolean(),
});

const consentCursor = z.object({ purpose: z.string() });

/** GET the current consents (`?limit=&cursor=`, by purpose) and POST a grant or a withdrawal (equally easy); no service reads them yet. */
export function consentsRouter(deps: ConsentsDeps): Router {
  const router = Router();
  router.get('/v1/profiles/:userId/consents', requireSelfOrAdmin('userId'), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    const { limit, after } = pageRequest(req.query, consentCursor);
    const page = toPage(await listConsents(deps.db, userId, { after: after?.purpose, limit: limit + 1 }), limit, (last) => ({ purpose: last.purpose }));
    res.json({ userId, consents: page.items, nextCursor: page.nextCursor });
  });
  router.post('/v1/profiles/:userId/consents', requireSelfOrAdmin('userId'), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    const change = validate(consentBody, req.body, 'body');
    res.status(201).json({ userId, ...(await changeConsent(deps, userId, change)) });
  });
  return router;
}
