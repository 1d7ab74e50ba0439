import type { MigrationSet } from '@oo/db';
import { eventsMigrations } from '@oo/events';
import { createNotifierTables } from './2026_12_02_220000_create_notifier_tables';
import { commentExportedColumns } from './2026_12_03_120000_comment_exported_columns';

/** Every migration of the notifier schema, by name (names sort in run order): the outbox and inbox first. */
export const notifierMigrations: MigrationSet = {
  ...eventsMigrations,
  '2026_12_02_220000_create_notifier_tables': createNotifierTables,
  '2026_12_03_120000_comment_exported_columns': commentExportedColumns,
};
