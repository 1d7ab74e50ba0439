import { Router } from 'express';
import { z } from 'zod';
import { pageRequest, requireAdmin, toPage } from '@oo/http';
import type { Kysely } from '@oo/db';
import type { ProfileDatabase } from '../db/database';
import { dataQuality } from '../features/data-quality/data-quality.service';
import type { Clock } from '../features/profile-features/profile-features.service';
import type { FeatureRegistry } from '../features/registry/feature-registry';

const featureCursor = z.object({ name: z.string() });

/** Admin-only data quality: per feature (by name, `?limit=&cursor=`), eligible users, missing and stale values. */
export function adminRouter(db: Kysely<ProfileDatabase>, registry: FeatureRegistry, clock: Clock): Router {
  return Router().get('/v1/admin/data-quality', requireAdmin(), async (req, res) => {
    const { limit, after } = pageRequest(req.query, featureCursor);
    const page = toPage(await dataQuality(db, registry, clock, { after: after?.name, limit: limit + 1 }), limit, (last) => ({ name: last.name }));
    res.json({ registryVersion: registry.version, features: page.items, nextCursor: page.nextCursor });
  });
}
