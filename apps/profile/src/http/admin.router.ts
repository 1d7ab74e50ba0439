import { Router } from 'express';
import { requireAdmin } from '@oo/http';
import type { Kysely } from '@oo/db';
import type { ProfileDatabase } from '../db/database';
import { dataQuality } from '../features/data-quality/data-quality.service';
import type { Clock } from '../features/profile-features/profile-features.service';
import type { FeatureRegistry } from '../features/registry/feature-registry';

/** Admin-only data quality: per feature, eligible users, missing and stale values. */
export function adminRouter(db: Kysely<ProfileDatabase>, registry: FeatureRegistry, clock: Clock): Router {
  return Router().get('/v1/admin/data-quality', requireAdmin(), async (_req, res) => {
    res.json({ registryVersion: registry.version, features: await dataQuality(db, registry, clock) });
  });
}
