import type { Generated } from '@oo/db';

/** A user's e-mail address and name, from `users.created` (personal data: erased with the user). */
export interface ContactsTable {
  user_id: string;
  email: string | null;
  display_name: string | null;
  email_bounced_at: Date | null;
  updated_at: Generated<Date>;
}

/** The latest `profile.preferences.updated` of a user. */
export interface PreferencesTable {
  user_id: string;
  timezone: string;
  quiet_start: string | null;
  quiet_end: string | null;
  channels: string[];
  cadence: string;
  version_at: Date;
}

/** The latest `profile.consent.changed` per user and purpose. */
export interface ConsentsTable {
  user_id: string;
  purpose: string;
  granted: boolean;
  version: string;
  changed_at: Date;
}

/** A channel the user turned off with a one-click unsubscribe. */
export interface OptOutsTable {
  user_id: string;
  channel: string;
  at: Generated<Date>;
}

export interface PushSubscriptionsTable {
  subscription_id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: Generated<Date>;
  last_success_at: Date | null;
}

export type DeliveryStatus = 'pending' | 'deferred' | 'delivered' | 'dropped' | 'failed';

/** One requested notification and what became of it. */
export interface DeliveriesTable {
  delivery_id: string;
  decision_id: string;
  user_id: string;
  tip_id: string;
  title: string;
  body: string;
  channels: string[];
  status: DeliveryStatus;
  channel: string | null;
  reason: string | null;
  detail: string | null;
  attempts: Generated<number>;
  not_after: Date;
  next_attempt_at: Date | null;
  lease_until: Date | null;
  requested_at: Date;
  delivered_at: Date | null;
  updated_at: Generated<Date>;
}

/** The `notifier` schema (plus the outbox and inbox of @oo/events). */
export interface NotifierDatabase {
  contacts: ContactsTable;
  preferences: PreferencesTable;
  consents: ConsentsTable;
  opt_outs: OptOutsTable;
  push_subscriptions: PushSubscriptionsTable;
  deliveries: DeliveriesTable;
}
