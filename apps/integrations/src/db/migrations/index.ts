import type { MigrationSet } from '@oo/db';
import { eventsMigrations } from '@oo/events';
import { createIntegrationsTables } from './2026_12_02_210000_create_integrations_tables';
import { commentExportedColumns } from './2026_12_03_120000_comment_exported_columns';

/** Every migration of the integrations schema, by name (names sort in run order): the outbox and inbox first. */
export const integrationsMigrations: MigrationSet = {
  ...eventsMigrations,
  '2026_12_02_210000_create_integrations_tables': createIntegrationsTables,
  '2026_12_03_120000_comment_exported_columns': commentExportedColumns,
};
