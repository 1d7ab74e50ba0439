import { columnCommentsMigration } from '@oo/db';

/** Describes, in the schema, every column the data export hands a user (its README is made from these). */
export const commentExportedColumns = columnCommentsMigration({
  users: {
    user_id: 'Your id in oO (every other file names you by it)',
    email: 'Your e-mail address, from your identity provider',
    display_name: 'Your name, from your identity provider',
    created_at: 'When you first signed in',
  },
  identities: {
    issuer: 'The identity provider you sign in with, e.g. https://accounts.google.com',
    subject: 'Your id at that provider',
    email: 'The e-mail address the provider gave',
    linked_at: 'When it was linked to your account',
    last_sign_in_at: 'When you last signed in with it',
  },
  sessions: {
    session_id: 'One web sign-in (a browser)',
    user_agent: 'The browser it was made from',
    created_at: 'When you signed in',
    last_seen_at: 'When it was last used',
    absolute_expires_at: 'When it ends in any case',
    revoked_at: 'When it was ended, if it was',
    revoked_reason: 'Why it ended: sign_out, sign_out_everywhere, account_deleted…',
  },
  refresh_families: {
    family_id: 'One sign-in of a native app',
    client_id: 'The app',
    created_at: 'When the app signed in',
    absolute_expires_at: 'When the sign-in ends in any case',
    revoked_at: 'When it was ended, if it was',
    revoked_reason: 'Why it ended',
  },
});
