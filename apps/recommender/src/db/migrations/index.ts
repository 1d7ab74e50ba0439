import type { MigrationSet } from '@oo/db';
import { eventsMigrations } from '@oo/events';
import { createRecommenderTables } from './2026_11_22_090000_create_recommender_tables';
import { createRetentionIndexes } from './2026_12_02_090000_create_retention_indexes';
import { createNudgeTables } from './2026_12_03_090000_create_nudge_tables';
import { commentExportedColumns } from './2026_12_03_120000_comment_exported_columns';

/** Every migration of the recommender schema, by name (names sort in run order): the outbox and inbox first. */
export const recommenderMigrations: MigrationSet = {
  ...eventsMigrations,
  '2026_11_22_090000_create_recommender_tables': createRecommenderTables,
  '2026_12_02_090000_create_retention_indexes': createRetentionIndexes,
  '2026_12_03_090000_create_nudge_tables': createNudgeTables,
  '2026_12_03_120000_comment_exported_columns': commentExportedColumns,
};
