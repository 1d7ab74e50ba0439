import type { MigrationSet } from '@oo/db';
import { eventsMigrations } from '@oo/events';
import { createRewardJoin } from './2026_11_22_100000_create_reward_join';
import { createModelState } from './2026_11_22_100100_create_model_state';
import { createModelSnapshotUsers } from './2026_12_02_100000_create_model_snapshot_users';
import { commentExportedColumns } from './2026_12_03_120000_comment_exported_columns';
import { createPolicyPromotions } from './2026_12_03_150000_create_policy_promotions';

/** Every migration of the ml schema, by name (names sort in run order): the outbox and inbox first. */
export const mlServingMigrations: MigrationSet = {
  ...eventsMigrations,
  '2026_11_22_100000_create_reward_join': createRewardJoin,
  '2026_11_22_100100_create_model_state': createModelState,
  '2026_12_02_100000_create_model_snapshot_users': createModelSnapshotUsers,
  '2026_12_03_120000_comment_exported_columns': commentExportedColumns,
  '2026_12_03_150000_create_policy_promotions': createPolicyPromotions,
};
