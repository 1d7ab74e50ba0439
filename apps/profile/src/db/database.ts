import type { ColumnType, Generated } from '@oo/db';

/** Reactions as stored in the tip projection; the wire enum is mapped at the consumer. */
export type StoredReaction = 'done' | 'snooze' | 'dismiss';

export interface ProfilesTable {
  user_id: string;
  display_name: ColumnType<string | null, string | null | undefined, string | null>;
  timezone: ColumnType<string, string | undefined, string>;
  locale: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PreferencesTable {
  user_id: string;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  channels: string[];
  tip_cadence: string;
  updated_at: Date;
}

export interface ConsentEventsTable {
  id: Generated<string>;
  user_id: string;
  purpose: string;
  version: string;
  text_hash: string;
  action: 'granted' | 'withdrawn';
  at: Date;
}

export interface TipServedTable {
  decision_id: string;
  user_id: string;
  tip_id: string;
  tip_kind: string;
  served_at: Date;
}

export interface TipFeedbackTable {
  decision_id: string;
  user_id: string;
  tip_id: string;
  reaction: StoredReaction;
  reacted_at: Date;
  dwell_ms: number;
}

export interface UserProfileFeaturesTable {
  user_id: string;
  name: string;
  value: number | null;
  value_text: string | null;
  is_fallback: boolean;
  computed_at: Date;
  registry_version: string;
  /** Only for counted features: the counts `value` derives from, so events can fold into them. */
  numerator: number | null;
  denominator: number | null;
}

/** The profile schema: everything this service owns and nothing else. */
export interface ProfileDatabase {
  profiles: ProfilesTable;
  preferences: PreferencesTable;
  consent_events: ConsentEventsTable;
  tip_served: TipServedTable;
  tip_feedback: TipFeedbackTable;
  user_profile_features: UserProfileFeaturesTable;
}
