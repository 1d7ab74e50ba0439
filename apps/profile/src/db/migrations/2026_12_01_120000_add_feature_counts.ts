import type { Kysely, Migration } from '@oo/db';

/**
 * The counts behind a counted feature's value (e.g. done / served), so a projected event can fold
 * into the cached value in place instead of deleting it and sending the next read down the cold path.
 */
export const addFeatureCounts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('user_profile_features').addColumn('numerator', 'float8').addColumn('denominator', 'float8').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('user_profile_features').dropColumn('numerator').dropColumn('denominator').execute();
  },
};
