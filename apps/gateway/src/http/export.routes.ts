import type { Response } from 'express';
import type { z } from 'zod';
import { exportArchiveSchema, exportParams, exportSchema, type exportStatusSchema } from '../schemas/export.schemas';
import { caller } from './caller.middleware';
import { seg, type RouteDeps } from './route-deps';
import { defineRoute, type AnyRoute } from './route-table';

const statusUrl = (id: string) => `/v1/me/export/${seg(id)}`;

function withLinks(status: z.output<typeof exportStatusSchema>): z.output<typeof exportSchema> {
  return { ...status, statusUrl: statusUrl(status.exportId), downloadUrl: status.status === 'ready' ? `${statusUrl(status.exportId)}/archive` : null };
}

/**
 * The data export: start one (auth asks every service holding user data for its part), follow it,
 * download the archive. Always the caller's own: another user's export id is a 404.
 */
export function exportRoutes({ auth }: RouteDeps): AnyRoute[] {
  const owner = (res: Response) => caller(res).userId;
  return [
    defineRoute({
      method: 'post', path: '/v1/me/export', tag: 'me', access: 'user',
      summary: 'Starts an export of everything oO holds about you (while one is being collected, answers that one)',
      responses: { 202: { description: 'The export, being collected', schema: exportSchema, headers: { Location: 'Where to follow its progress' } } },
      async handle(_input, res) {
        const started = withLinks(await auth.requestExport(owner(res), res));
        res.status(202).location(started.statusUrl).json(started);
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/me/export/{id}', tag: 'me', access: 'user', params: exportParams,
      summary: "An export's progress: the parts received of those expected, per service; the download link when ready",
      responses: { 200: { description: 'The export', schema: exportSchema } },
      async handle({ params }, res) {
        res.json(withLinks(await auth.exportStatus(owner(res), params.id, res)));
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/me/export/{id}/archive', tag: 'me', access: 'user', params: exportParams,
      summary: 'The archive of a ready export: a zip of one JSON file per service and a README describing every field (410 once expired)',
      responses: { 200: { description: 'The archive', schema: exportArchiveSchema, contentType: 'application/zip', headers: { 'Content-Disposition': 'attachment, with the file name' } } },
      handle: ({ params }, res) => auth.exportArchive(owner(res), params.id, res),
    }),
  ];
}
