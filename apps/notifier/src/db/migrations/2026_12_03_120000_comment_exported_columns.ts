import { columnCommentsMigration } from '@oo/db';

/** Describes, in the schema, every column the data export hands a user (its README is made from these). */
export const commentExportedColumns = columnCommentsMigration({
  contacts: {
    email: 'The address e-mails go to, from your sign-in',
    display_name: 'The name e-mails greet you with',
    email_bounced_at: 'When an e-mail to you last bounced (e-mail is paused until the address changes)',
    updated_at: 'When these details last changed',
  },
  preferences: {
    timezone: 'Your IANA time zone, in which quiet hours are judged',
    quiet_start: 'Local time from which nothing is sent (HH:MM)',
    quiet_end: 'Local time at which quiet hours end (HH:MM)',
    channels: 'Channels you allow: in_app, push, email',
    cadence: 'How often you want to hear from oO: low, normal or high',
    version_at: 'When your profile last changed these',
  },
  consents: {
    purpose: 'What the consent is for, e.g. push_notifications',
    granted: 'True while you consent',
    version: 'The version of the consent text',
    changed_at: 'When you last granted or withdrew it',
  },
  opt_outs: {
    channel: 'A channel you unsubscribed from (from a link in a notification)',
    at: 'When you did',
  },
  push_subscriptions: {
    subscription_id: 'One browser or device that receives push notifications',
    endpoint: 'The push service address of that browser (a secret link; exports say only that it exists)',
    created_at: 'When you subscribed it',
    last_success_at: 'When a push to it last arrived',
  },
  deliveries: {
    delivery_id: 'One notification oO sent or tried to send you',
    decision_id: 'The tip it carried',
    tip_id: 'The task or advice of that tip',
    title: 'The notification\'s title',
    body: 'The notification\'s text',
    channels: 'The channels it could go by, in order',
    status: 'pending, deferred, delivered, dropped or failed',
    channel: 'The channel that delivered it (or was last tried)',
    reason: 'Why it was deferred, dropped or failed (e.g. quiet_hours)',
    attempts: 'How many times sending was tried',
    requested_at: 'When it was asked for',
    delivered_at: 'When it was delivered, if it was',
  },
});
