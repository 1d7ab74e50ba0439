import { z } from 'zod';
import { isoDateTime } from './common.schemas';

const serviceProgress = z.object({
  service: z.string(),
  status: z.enum(['waiting', 'receiving', 'received']).meta({ description: 'waiting: nothing yet; receiving: some chunks of its part are in; received: all of it' }),
  chunksReceived: z.number().int().nullable(),
  chunkCount: z.number().int().nullable(),
});

/** An export as auth answers it. */
export const exportStatusSchema = z.object({
  exportId: z.string().meta({ format: 'uuid' }),
  status: z.enum(['collecting', 'ready', 'failed', 'expired']),
  requestedAt: isoDateTime,
  readyAt: isoDateTime.nullable(),
  expiresAt: isoDateTime.nullable().meta({ description: 'Until when the archive can be downloaded (set once it is ready)' }),
  failure: z.string().nullable().meta({ description: 'Why the export failed, when it did; you may start a new one' }),
  archiveBytes: z.number().int().nullable(),
  partsExpected: z.number().int().meta({ description: 'How many services hold data about you and send a part' }),
  partsReceived: z.number().int(),
  services: z.array(serviceProgress),
});

export const exportSchema = exportStatusSchema
  .extend({
    statusUrl: z.string().meta({ description: 'Where to follow the progress' }),
    downloadUrl: z.string().nullable().meta({ description: 'The archive (application/zip), once ready and until it expires' }),
  })
  .meta({ id: 'DataExport', description: 'A copy of everything oO holds about you: its progress, and the archive once every service has sent its part' });

export const exportParams = z.object({ id: z.uuid('must be an export id (a UUID)') });

export const exportArchiveSchema = z.string().meta({ format: 'binary', description: 'A zip: one JSON file per service and a README.md describing every field' });
