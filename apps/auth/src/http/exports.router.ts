import { Router } from 'express';
import { z } from 'zod';
import { validate } from '@oo/http';
import type { ExportRow } from '../features/export/export.repository';
import { exportArchive, exportOf, requestExport } from '../features/export/export.service';
import type { AuthContext } from '../service';

const userParams = z.object({ userId: z.uuid('must be a user id (a UUID)') });
const exportParams = userParams.extend({ exportId: z.uuid('must be an export id (a UUID)') });

/** An export as its owner sees it: progress per service, and when it is ready, until when. */
function view(row: ExportRow, now: Date) {
  const chunks = new Map(row.chunks.map((c) => [c.service, c]));
  const done = row.status === 'ready' || row.status === 'expired';
  // Expired from its time on, even before the next expiry pass deletes the archive.
  const status = row.status === 'ready' && row.expires_at && row.expires_at <= now ? 'expired' : row.status;
  return {
    exportId: row.export_id,
    status,
    requestedAt: row.requested_at.toISOString(),
    readyAt: row.ready_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    failure: row.failure,
    archiveBytes: row.archive_bytes,
    partsExpected: row.contributors.length,
    partsReceived: done ? row.contributors.length : row.received.length,
    services: row.contributors.map((service) => {
      const tally = chunks.get(service);
      const status = done || row.received.includes(service) ? 'received' : tally ? 'receiving' : 'waiting';
      return { service, status, chunksReceived: tally?.received ?? null, chunkCount: tally?.count ?? null };
    }),
  };
}

/** A user's data exports (README: Internal routes): start one, its progress, its archive. */
export function exportsRouter(ctx: AuthContext): Router {
  const router = Router();
  const deps = { ...ctx, ...ctx.exports };
  router.post('/internal/v1/users/:userId/exports', async (req, res) => {
    const { userId } = validate(userParams, req.params, 'params');
    res.status(202).json(view(await requestExport(deps, userId), ctx.clock()));
  });
  router.get('/internal/v1/users/:userId/exports/:exportId', async (req, res) => {
    const { userId, exportId } = validate(exportParams, req.params, 'params');
    res.json(view(await exportOf(deps, userId, exportId), ctx.clock()));
  });
  router.get('/internal/v1/users/:userId/exports/:exportId/archive', async (req, res) => {
    const { userId, exportId } = validate(exportParams, req.params, 'params');
    const archive = await exportArchive(deps, userId, exportId);
    res
      .status(200)
      .type('application/zip')
      .setHeader('content-disposition', `attachment; filename="oo-export-${exportId}.zip"`)
      .setHeader('cache-control', 'private, no-store')
      .send(archive);
  });
  return router;
}
