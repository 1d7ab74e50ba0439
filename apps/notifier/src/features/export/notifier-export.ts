import type { ExportTable } from '@oo/events';

/** What stands in an export for a push subscription's address: that it exists, not the secret link. */
export const PUSH_ENDPOINT_HELD = 'a browser subscribed to push; its address is a secret link and is not exported';

/**
 * What the notifier contributes to a user's data export: the contact details and settings it
 * delivers by, consents, opt-outs, push subscriptions (without their keys or address) and every
 * delivery. Descriptions come from the schema's comments (migration 2026_12_03_120000_comment_exported_columns).
 */
export const NOTIFIER_EXPORT: readonly ExportTable[] = [
  { table: 'contacts', columns: ['email', 'display_name', 'email_bounced_at', 'updated_at'] },
  { table: 'preferences', columns: ['timezone', 'quiet_start', 'quiet_end', 'channels', 'cadence', 'version_at'] },
  { table: 'consents', columns: ['purpose', 'granted', 'version', 'changed_at'] },
  { table: 'opt_outs', columns: ['channel', 'at'] },
  { table: 'push_subscriptions', columns: ['subscription_id', 'endpoint', 'created_at', 'last_success_at'], masked: { endpoint: PUSH_ENDPOINT_HELD } },
  { table: 'deliveries', columns: ['delivery_id', 'decision_id', 'tip_id', 'title', 'body', 'channels', 'status', 'channel', 'reason', 'attempts', 'requested_at', 'delivered_at'] },
];
