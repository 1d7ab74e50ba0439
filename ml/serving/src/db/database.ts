import type { ColumnType, Generated } from '@oo/db';
import type { DecisionContextInput } from '@oo/decision-features';

/** A user's reaction as stored; `none` is the settled outcome of a decision without one in the window. */
export type StoredReaction = 'done' | 'snooze' | 'dismiss';
export type Outcome = StoredReaction | 'none';

/** pg returns int8 as a string; writes take numbers. */
type Int8 = ColumnType<string, number | bigint, number | bigint>;
type Json<T> = ColumnType<T, string, string>;

/**
 * The reward join: one row per decision id, filled from either side. The served half (user's
 * chosen candidate and context) and the feedback half may arrive in any order; the row is
 * settled once, when both are present or the window has passed.
 */
export interface DecisionsTable {
  decision_id: string;
  user_id: string;
  served_at: Date | null;
  policy: string | null;
  model_version: string | null;
  fallback: boolean | null;
  propensity: number | null;
  /** Names of the chosen candidate's raw features (TipServed.feature_layout). */
  feature_names: Json<string[]> | null;
  /** The chosen candidate's raw features, in `feature_names` order. */
  features: Json<number[]> | null;
  context: Json<DecisionContextInput> | null;
  reaction: StoredReaction | null;
  reacted_at: Date | null;
  feedback_received_at: Date | null;
  settled_at: Date | null;
  outcome: Outcome | null;
  reward: number | null;
  created_at: Generated<Date>;
}

/** The single row whose `seq` numbers observations: its row lock orders them by commit. */
export interface ObservationCounterTable {
  id: number;
  seq: Int8;
}

/** What every instance applies to its model, in `seq` order: a learned reward, or a user to forget. */
export interface LearnedObservationsTable {
  seq: Int8;
  kind: 'reward' | 'forget';
  decision_id: string | null;
  user_id: string | null;
  /** Layout of `features`; instances on another layout re-express the vector by name. */
  layout_version: string | null;
  /** The chosen candidate's model vector, float64 little-endian. */
  features: Buffer | null;
  reward: number | null;
  outcome: Outcome | null;
  learned_at: Date;
}

/** Every layout an instance has run with, so vectors and snapshots under it can be read by name. */
export interface FeatureLayoutsTable {
  version: string;
  names: Json<string[]>;
  first_seen_at: Generated<Date>;
}

/** Checkpoints of the whole model; `version` is the seq of the last observation it contains. */
export interface ModelSnapshotsTable {
  layout_version: string;
  version: Int8;
  snapshot: Buffer;
  users: number;
  created_at: Date;
  /** True when the blob holds only the global part and every user has a row in `model_snapshot_users`. */
  user_rows: Generated<boolean>;
}

/** One user's part of a checkpoint (`encodeUserSnapshot`); goes with its snapshot. */
export interface ModelSnapshotUsersTable {
  layout_version: string;
  version: Int8;
  user_id: string;
  stats: Buffer;
}

/** One switch of the live policy; the row with the highest `seq` is the assignment in force. */
export interface PolicyPromotionsTable {
  promotion_id: string;
  seq: Generated<Int8>;
  live_policy: string;
  previous_live_policy: string;
  shadow_policies: Json<string[]>;
  /** `admin:<user id>` (the admin route, also behind npm run promote) or `automatic`. */
  actor: string;
  reverts_promotion_id: string | null;
  /** What the switch was decided on (see PromotionEvidence); null for a reversal. */
  evidence: Json<unknown> | null;
  promoted_at: Date;
}

/** The ml schema: everything ml-serving owns and nothing else. */
export interface MlDatabase {
  decisions: DecisionsTable;
  observation_counter: ObservationCounterTable;
  learned_observations: LearnedObservationsTable;
  feature_layouts: FeatureLayoutsTable;
  model_snapshots: ModelSnapshotsTable;
  model_snapshot_users: ModelSnapshotUsersTable;
  policy_promotions: PolicyPromotionsTable;
}
