import type { MigrationSet } from '@oo/db';
import { eventsMigrations } from '@oo/events';
import { createIntegrationsTables } from './2026_12_02_210000_create_integrations_tables';

/** Every migration of the integrations schema, by name (names sort in run order): the outbox and inbox first. */
export const integrationsMigrations: MigrationSet = {
  ...eventsMigrations,
  '2026_12_02_210000_create_integrations_tables': createIntegrationsTables,
};
