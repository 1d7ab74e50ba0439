import { Router } from 'express';
import { z } from 'zod';
import type { Kysely } from '@oo/db';
import { logQuietly, validate } from '@oo/http';
import { encodeReplica, toObservationPageJson, type PolicyCatalog } from '@oo/model-state';
import type { MlDatabase } from '../db/database';
import { MlServingError } from '../errors';
import type { LiveModel } from '../features/model-state/live-model';
import { lastSeq, layoutNames, observationsAfter } from '../features/model-state/model-state.repository';
import { replicaDocument } from '../features/model-state/replica-document';
import { currentAssignment } from '../features/promotion/promotion.service';

const count = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const replicaQuery = z.strictObject({ maxUsers: count(100_000, 10_000) });
const observationsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: count(1_000, 500),
  /** Long poll: when nothing is past `after` yet, answer as soon as something is, or after this long. */
  waitMs: z.coerce.number().int().min(0).max(25_000).default(0),
});

/**
 * How a replica (the recommender scoring on its own) follows this model:
 * `GET /v1/models/current/replica` is the model now, in the exact checkpoint format, and
 * `GET /v1/models/current/observations?after=` the log after a version, in order — so the replica
 * holds the same state as every instance here at the same version. 410 when the log after
 * `after` was pruned: load the replica again.
 */
export function replicaRouter(deps: { db: Kysely<MlDatabase>; live: LiveModel; catalog: PolicyCatalog }): Router {
  const { db, live, catalog } = deps;
  const router = Router();
  router.get('/v1/models/current/replica', async (req, res) => {
    const { maxUsers } = validate(replicaQuery, req.query, 'query');
    const assignment = await currentAssignment(db);
    const model = live.current();
    if (model === undefined || !live.isReady()) throw new MlServingError('ML_MODEL_NOT_READY', 'the model is still loading');
    const bytes = encodeReplica({ ...replicaDocument(model, live.holdsEveryUser(), maxUsers, catalog), ...(assignment ? { assignment } : {}) });
    res.type('application/octet-stream').send(bytes);
  });
  router.get('/v1/models/current/observations', async (req, res) => {
    const { after, limit, waitMs } = validate(observationsQuery, req.query, 'query');
    // A replica asks again the moment this answers: one line per poll would bury the useful ones.
    logQuietly(res);
    const model = live.current();
    if (model === undefined) throw new MlServingError('ML_MODEL_NOT_READY', 'the model is still loading');
    await live.whenPast(after, waitMs);
    const rows = await observationsAfter(db, after, limit);
    const first = rows[0];
    if (first !== undefined ? Number(first.seq) !== after + 1 : (await lastSeq(db)) > after) {
      throw new MlServingError('ML_REPLICA_BEHIND', `the observation log after ${after} was pruned; load the replica again`);
    }
    const layouts: Record<string, readonly string[]> = {};
    for (const version of new Set(rows.map((r) => r.layout_version))) {
      if (version === null || version === model.layout.version) continue;
      const names = await layoutNames(db, version);
      if (names !== undefined) layouts[version] = names;
    }
    // Every page carries the assignment, so a promotion reaches a replica within one long poll.
    const assignment = await currentAssignment(db);
    res.json(toObservationPageJson({ rows, layouts, ...(assignment ? { assignment } : {}) }));
  });
  return router;
}
