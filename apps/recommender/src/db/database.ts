import type { ColumnType, Generated } from '@oo/db';

/** Reactions as stored; the wire enum is mapped where events are written. */
export type StoredReaction = 'done' | 'snooze' | 'dismiss';

/** A JSON column: written as a JSON string (one parameter, no float8[] decoding cost), read parsed. */
export type JsonColumn<T> = ColumnType<T, string, never>;

/**
 * The candidate read model: the newest known state of each task, or its tombstone. `version_at`
 * is the source's `updated_at` for a live task and `deleted_at` for a tombstone, so late events
 * older than what is stored are ignored.
 */
export interface TasksTable {
  task_id: string;
  user_id: string;
  source: string;
  title: string;
  due_at: Date | null;
  /** 1 (most urgent) … 4 (normal), as on the wire. */
  priority: number;
  created_at: Date;
  completed_at: Date | null;
  url: string;
  version_at: Date;
  deleted: boolean;
}

export interface UserTimezonesTable {
  user_id: string;
  timezone: string;
  updated_at: Date;
}

/** A stored candidate: what the policy chose from, in probability order. */
export interface StoredCandidate {
  id: string;
  kind: string;
  taskId?: string;
  features: number[];
}

export interface StoredShadow {
  policy: string;
  probabilities: number[];
  modelVersion: string;
}

/** One served tip with everything off-policy evaluation needs (mirrors TipServed). */
export interface DecisionsTable {
  decision_id: string;
  user_id: string;
  served_at: Date;
  tip_id: string;
  tip_kind: string;
  tip_title: string;
  tip_body: string;
  task_id: string | null;
  policy: string;
  model_version: string;
  layout_version: string;
  fallback: boolean;
  fallback_reason: string | null;
  chosen_index: number;
  propensity: number;
  feature_layout: JsonColumn<string[]>;
  candidates: JsonColumn<StoredCandidate[]>;
  probabilities: JsonColumn<number[]>;
  shadow_policies: JsonColumn<StoredShadow[]>;
  context: JsonColumn<unknown>;
  /** `in_app`, or for a nudge the channel the notifier was asked to try first. */
  channel: ColumnType<string, string | undefined, never>;
  /** What the notifier reported for a nudge; null for in-app tips and until it reports. */
  delivery_status: 'delivered' | 'failed' | null;
  delivery_channel: string | null;
  delivery_reason: string | null;
}

export interface TipFeedbackTable {
  decision_id: string;
  user_id: string;
  reaction: StoredReaction;
  reacted_at: Date;
  /** bigint: pg returns it as a string. */
  dwell_ms: ColumnType<string, number, never>;
  created_at: Generated<Date>;
}

/** A user's nudge preferences as profile published them, and when the scheduler looks at them next. */
export interface NudgePreferencesTable {
  user_id: string;
  /** The channels a nudge may use, in the user's order: `push`, `email`. */
  channels: string[];
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  /** `off`, `low`, `normal` or `high`. */
  cadence: string;
  updated_at: Date;
  next_check_at: Date;
}

/** One scheduler run per user and slot (`YYYY-MM-DDTHH` on the user's wall clock). */
export interface NudgeSlotsTable {
  user_id: string;
  slot: string;
  decision_id: string | null;
  /** `requested` (a nudge went to the notifier) or `nothing` (no candidates then). */
  outcome: 'requested' | 'nothing';
  ran_at: Date;
}

/** The recommender schema: everything this service owns and nothing else. */
export interface RecommenderDatabase {
  tasks: TasksTable;
  user_timezones: UserTimezonesTable;
  decisions: DecisionsTable;
  tip_feedback: TipFeedbackTable;
  nudge_preferences: NudgePreferencesTable;
  nudge_slots: NudgeSlotsTable;
}
