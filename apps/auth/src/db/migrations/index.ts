import type { MigrationSet } from '@oo/db';
import { eventsMigrations } from '@oo/events';
import { createAuthTables } from './2026_12_01_233000_create_auth_tables';
import { createDeletionRequests } from './2026_12_03_110000_create_deletion_requests';
import { createExportRequests } from './2026_12_03_140000_create_export_requests';
import { commentExportedColumns } from './2026_12_03_140100_comment_exported_columns';

/** Every migration of the auth schema, by name (names sort in run order): the outbox and inbox first. */
export const authMigrations: MigrationSet = {
  ...eventsMigrations,
  '2026_12_01_233000_create_auth_tables': createAuthTables,
  '2026_12_03_110000_create_deletion_requests': createDeletionRequests,
  '2026_12_03_140000_create_export_requests': createExportRequests,
  '2026_12_03_140100_comment_exported_columns': commentExportedColumns,
};
