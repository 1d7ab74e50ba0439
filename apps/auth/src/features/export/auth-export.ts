import type { ExportTable } from '@oo/events';

/**
 * What auth contributes to a user's data export: the account, linked identities, web sessions and
 * native-app sign-ins — never a token, a token's hash, a CSRF secret or a code. Descriptions come
 * from the schema's comments (migration 2026_12_03_140100_comment_exported_columns).
 */
export const AUTH_EXPORT: readonly ExportTable[] = [
  { table: 'users', columns: ['user_id', 'email', 'display_name', 'created_at'] },
  { table: 'identities', columns: ['issuer', 'subject', 'email', 'linked_at', 'last_sign_in_at'] },
  { table: 'sessions', columns: ['session_id', 'user_agent', 'created_at', 'last_seen_at', 'absolute_expires_at', 'revoked_at', 'revoked_reason'] },
  { table: 'refresh_families', columns: ['family_id', 'client_id', 'created_at', 'absolute_expires_at', 'revoked_at', 'revoked_reason'] },
];
