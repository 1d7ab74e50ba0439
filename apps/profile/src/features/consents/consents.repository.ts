import type { Executor } from '@oo/db';
import type { ConsentEventsTable, ProfileDatabase } from '../../db/database';

export interface ConsentEvent {
  purpose: string;
  version: string;
  textHash: string;
  action: ConsentEventsTable['action'];
  at: Date;
}

/** Appends a grant or a withdrawal; consent history is never rewritten. */
export async function appendConsentEvent(db: Executor<ProfileDatabase>, userId: string, e: ConsentEvent): Promise<void> {
  await db
    .insertInto('consent_events')
    .values({ user_id: userId, purpose: e.purpose, version: e.version, text_hash: e.textHash, action: e.action, at: e.at })
    .execute();
}

/** A slice of a list ordered by purpose: those after `after`, at most `limit`. */
export interface PurposeRange {
  after?: string;
  limit?: number;
}

/** The latest event per purpose, in purpose order: the user's current consent state. */
export async function latestConsentEvents(db: Executor<ProfileDatabase>, userId: string, range: PurposeRange = {}): Promise<ConsentEvent[]> {
  let query = db
    .selectFrom('consent_events')
    .distinctOn('purpose')
    .select(['purpose', 'version', 'text_hash', 'action', 'at'])
    .where('user_id', '=', userId)
    .orderBy('purpose')
    .orderBy('id', 'desc');
  if (range.after !== undefined) query = query.where('purpose', '>', range.after);
  if (range.limit !== undefined) query = query.limit(range.limit);
  const rows = await query.execute();
  return rows.map((r) => ({ purpose: r.purpose, version: r.version, textHash: r.text_hash, action: r.action, at: r.at }));
}
