import type { MigrationSet } from '@oo/db';
import { createProfileTables } from './2026_11_21_120000_create_profile_tables';
import { createTipProjections } from './2026_11_21_120100_create_tip_projections';

/** Every migration of the profile schema, by name (names sort in run order). */
export const profileMigrations: MigrationSet = {
  '2026_11_21_120000_create_profile_tables': createProfileTables,
  '2026_11_21_120100_create_tip_projections': createTipProjections,
};
