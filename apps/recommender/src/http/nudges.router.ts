import { Router } from 'express';
import { z } from 'zod';
import { requireAdmin, requireAuth, validate, type JwtVerifier } from '@oo/http';
import type { Kysely } from '@oo/db';
import type { RecommenderDatabase } from '../db/database';
import type { Clock } from '../features/decisions/recommend.service';
import { nudgeOutcomes } from '../features/nudges/nudge-outcomes.repository';

const DAY_MS = 86_400_000;
const outcomesQuery = z.strictObject({ since: z.iso.datetime({ offset: true }).optional() });

/** Admins only: per channel, how often a nudge was delivered and led to "done" (`?since=`, default the last 7 days). */
export function nudgesRouter(db: Kysely<RecommenderDatabase>, verifier: JwtVerifier, clock: Clock): Router {
  return Router().get('/v1/admin/nudges/outcomes', requireAuth(verifier), requireAdmin(), async (req, res) => {
    const { since } = validate(outcomesQuery, req.query, 'query');
    const from = since ? new Date(since) : new Date(clock().getTime() - 7 * DAY_MS);
    res.json({ since: from.toISOString(), channels: await nudgeOutcomes(db, from) });
  });
}
