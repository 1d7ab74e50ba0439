import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import { sql, type Executor } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { NotifierDatabase } from '../../db/database';

type Db = Executor<NotifierDatabase>;

/** `users.created`: where to e-mail the user and what to call them. */
export async function projectUserCreated(db: Db, created: SubjectMessage<'users.created'>): Promise<void> {
  if (!created.userId) throw new PermanentEventError('users.created lacks a user');
  const row = { user_id: created.userId, email: created.email || null, display_name: created.displayName || null, updated_at: new Date() };
  await db.insertInto('contacts').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet({ email: row.email, display_name: row.display_name, updated_at: row.updated_at })).execute();
}

/** `profile.preferences.updated`: the latest wins, by its `updated_at`; a late older copy changes nothing. */
export async function projectPreferences(db: Db, prefs: SubjectMessage<'profile.preferences.updated'>, eventTime: Date | undefined): Promise<void> {
  const versionAt = prefs.updatedAt ? timestampDate(prefs.updatedAt) : eventTime;
  if (!prefs.userId || !versionAt) throw new PermanentEventError('profile.preferences.updated lacks a user or a time');
  const row = {
    user_id: prefs.userId,
    timezone: prefs.timezone || 'UTC',
    quiet_start: prefs.quietHoursStart || null,
    quiet_end: prefs.quietHoursEnd || null,
    channels: [...prefs.channels],
    cadence: prefs.tipCadence || 'normal',
    version_at: versionAt,
  };
  await db
    .insertInto('preferences')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...row, user_id: undefined }).where(sql<boolean>`preferences.version_at <= excluded.version_at`))
    .execute();
  // A channel the user unsubscribed from and turned on again in their settings since is theirs again.
  if (row.channels.length > 0) {
    await db.deleteFrom('opt_outs').where('user_id', '=', row.user_id).where('channel', 'in', row.channels).where('at', '<', versionAt).execute();
  }
}

/** `profile.consent.changed`: the latest change per purpose wins, by `changed_at`. */
export async function projectConsent(db: Db, consent: SubjectMessage<'profile.consent.changed'>, eventTime: Date | undefined): Promise<void> {
  const changedAt = consent.changedAt ? timestampDate(consent.changedAt) : eventTime;
  if (!consent.userId || !consent.purpose || !changedAt) throw new PermanentEventError('profile.consent.changed lacks a user, a purpose or a time');
  const row = { user_id: consent.userId, purpose: consent.purpose, granted: consent.granted, version: consent.version, changed_at: changedAt };
  await db
    .insertInto('consents')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'purpose']).doUpdateSet({ granted: row.granted, version: row.version, changed_at: row.changed_at }).where(sql<boolean>`consents.changed_at <= excluded.changed_at`))
    .execute();
}
