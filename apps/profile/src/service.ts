import { isSubject, subjects } from '@oo/contracts';
import { defineService, type Kit } from '@oo/service';
import { createRoutes } from './app';
import { profileConfigSchema, type ProfileConfig } from './config';
import type { ProfileDatabase } from './db/database';
import { profileMigrations } from './db/migrations';
import { profileSubscriptions } from './events/subscription-table';
import { ProfileFeaturesService } from './features/profile-features/profile-features.service';
import type { AnyFeatureDefinition } from './features/registry/feature-definition';
import { FeatureRegistry } from './features/registry/feature-registry';
import { initialFeatures } from './features/registry/initial-features';
import { startProjectionPruning } from './features/tip-projection/projection-pruning';

type ProfileKit = Kit<ProfileConfig, ProfileDatabase, typeof subjects>;

function setupProfile(kit: ProfileKit, registry: FeatureRegistry) {
  const features = new ProfileFeaturesService({ db: kit.db, registry, clock: kit.clock });
  const stopPruning = startProjectionPruning(kit.db, kit.log, kit.clock, kit.config.PROJECTION_RETENTION_DAYS);
  return { registry, features, stopPruning };
}

/** What the profile's routes and handlers receive. */
export type ProfileContext = ProfileKit & ReturnType<typeof setupProfile>;

/**
 * Declares the profile over a feature registry (a misspelt subject stops here, before any side
 * effect): features with lazy TTL refresh, preferences, consents, and one consumer per subject
 * the registry's features are invalidated by.
 *
 * @example
 * const withExtra = createProfileService([...initialFeatures, myFeature]);
 */
export function createProfileService(definitions: readonly AnyFeatureDefinition[] = initialFeatures) {
  const registry = new FeatureRegistry(definitions, isSubject);
  return defineService<ProfileDatabase>()({
    name: 'profile',
    config: profileConfigSchema,
    migrations: profileMigrations,
    subjects,
    setup: (kit) => setupProfile(kit, registry),
    routes: (ctx) => createRoutes(ctx),
    subscriptions: profileSubscriptions(registry),
    stop: [{ name: 'stop pruning', run: (ctx) => ctx.stopPruning() }],
  });
}

/** The profile service with the initial features. */
export const profile = createProfileService();
