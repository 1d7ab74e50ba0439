import { Router } from 'express';
import { z } from 'zod';
import { pageRequest, toPage, validate } from '@oo/http';
import type { DeletionRow } from '../features/deletion/deletion.repository';
import { findDeletion, listDeletions } from '../features/deletion/deletion.repository';
import { AuthError } from '../errors';
import type { AuthContext } from '../service';

const requestParams = z.object({ requestId: z.uuid('must be a deletion request id (a UUID)') });
const listQuery = z.object({ status: z.enum(['pending', 'overdue', 'completed']).optional() });
const cursor = z.object({ requestedAt: z.iso.datetime(), requestId: z.uuid() });

/** A deletion as its status shows it: never the user id, so the view is safe to hand to anyone holding the request id. */
function view(row: DeletionRow, now: Date) {
  const received = new Map(row.receipts.map((r) => [r.service, new Date(r.completed_at).toISOString()]));
  const status = row.completed_at ? 'completed' : row.due_at < now ? 'overdue' : 'pending';
  return {
    requestId: row.request_id,
    status,
    requestedAt: row.requested_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    subjectDigest: row.subject_digest,
    services: row.holders.map((service) => ({ service, erasedAt: received.get(service) ?? null })),
  };
}

/** Account deletions: one by its request id, and the list for admins (`?status=&limit=&cursor=`). */
export function deletionsRouter(ctx: AuthContext): Router {
  const router = Router();
  router.get('/internal/v1/deletions/:requestId', async (req, res) => {
    const { requestId } = validate(requestParams, req.params, 'params');
    const row = await findDeletion(ctx.db, requestId);
    if (!row) throw new AuthError('AUTH_DELETION_NOT_FOUND', `no deletion request ${requestId}`);
    res.json(view(row, ctx.clock()));
  });
  router.get('/internal/v1/deletions', async (req, res) => {
    const { status } = validate(listQuery, { status: req.query['status'] }, 'query');
    const { limit, after } = pageRequest(req.query, cursor);
    const now = ctx.clock();
    const rows = await listDeletions(ctx.db, { status, now, limit: limit + 1, before: after && { requestedAt: new Date(after.requestedAt), requestId: after.requestId } });
    const page = toPage(rows, limit, (last) => ({ requestedAt: last.requested_at.toISOString(), requestId: last.request_id }));
    res.json({ deletions: page.items.map((row) => view(row, now)), nextCursor: page.nextCursor });
  });
  return router;
}
