import type { MigrationSet } from '@oo/db';
import { eventsMigrations } from '@oo/events';
import { createProfileTables } from './2026_11_21_120000_create_profile_tables';
import { createTipProjections } from './2026_11_21_120100_create_tip_projections';
import { addFeatureCounts } from './2026_12_01_120000_add_feature_counts';
import { createTipRecordFunctions } from './2026_12_02_180000_create_tip_record_functions';
import { commentExportedColumns } from './2026_12_03_120000_comment_exported_columns';

/** Every migration of the profile schema, by name (names sort in run order): the outbox and inbox first. */
export const profileMigrations: MigrationSet = {
  ...eventsMigrations,
  '2026_11_21_120000_create_profile_tables': createProfileTables,
  '2026_11_21_120100_create_tip_projections': createTipProjections,
  '2026_12_01_120000_add_feature_counts': addFeatureCounts,
  '2026_12_02_180000_create_tip_record_functions': createTipRecordFunctions,
  '2026_12_03_120000_comment_exported_columns': commentExportedColumns,
};
