import { columnCommentsMigration } from '@oo/db';

/** Describes, in the schema, every column the data export hands a user (its README is made from these). */
export const commentExportedColumns = columnCommentsMigration({
  profiles: {
    display_name: 'The name oO greets you with, if you gave one',
    timezone: 'Your IANA time zone, in which tips and quiet hours are timed',
    locale: 'Your language and region for texts, e.g. en-GB',
    created_at: 'When your profile was created',
    updated_at: 'When your profile last changed',
  },
  preferences: {
    quiet_hours_start: 'Local time from which oO sends you nothing (HH:MM)',
    quiet_hours_end: 'Local time at which your quiet hours end (HH:MM)',
    channels: 'How oO may reach you: in_app, push, email',
    tip_cadence: 'How often you want tips: low, normal or high',
    updated_at: 'When you last changed your preferences',
  },
  consent_events: {
    purpose: 'What you consented to, e.g. push_notifications',
    version: 'Which version of the consent text you saw',
    text_hash: 'SHA-256 of the exact consent text you saw',
    action: 'granted or withdrawn',
    at: 'When you granted or withdrew it',
  },
  tip_served: {
    decision_id: 'The tip shown to you (the same id in the recommender and ml-serving)',
    tip_id: 'Which tip it was: a task of yours or an advice from the library',
    tip_kind: 'task or advice',
    served_at: 'When it was shown to you',
  },
  tip_feedback: {
    decision_id: 'The tip you reacted to',
    tip_id: 'Which tip it was',
    reaction: 'Your reaction: done, snooze or dismiss',
    reacted_at: 'When you reacted',
    dwell_ms: 'How long the tip was on screen before you reacted, in milliseconds',
  },
  user_profile_features: {
    name: 'A feature oO derives from your history to choose tips, e.g. completion_rate_30d',
    value: 'Its numeric value, when it is a number',
    value_text: 'Its value, when it is a category (e.g. morning)',
    is_fallback: 'True when there was too little history and a default was used',
    computed_at: 'When it was computed',
    numerator: 'For a rate: the count on top (e.g. tips done in 30 days)',
    denominator: 'For a rate: the count below (e.g. tips shown in 30 days)',
  },
});
