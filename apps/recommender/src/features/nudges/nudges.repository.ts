import { sql, type Executor, type Kysely } from '@oo/db';
import type { NudgePreferencesTable, RecommenderDatabase } from '../../db/database';
import { DEFAULT_TIMEZONE } from '../candidates/timezones.repository';

/** The channels a nudge can go out on; `in_app` is the app asking, never a nudge. */
export const NUDGE_CHANNELS = ['push', 'email'] as const;

/** A user's nudge preferences as profile published them. */
export interface NudgePreferences {
  userId: string;
  channels: readonly string[];
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  cadence: string;
  updatedAt: Date;
}

/**
 * Stores the preferences unless newer ones are stored, and asks the scheduler to look at the
 * user at once: a new cadence or quiet window moves their slots.
 */
export async function applyNudgePreferences(db: Executor<RecommenderDatabase>, p: NudgePreferences): Promise<void> {
  const row = {
    user_id: p.userId,
    channels: p.channels.filter((c) => (NUDGE_CHANNELS as readonly string[]).includes(c)),
    quiet_hours_start: p.quietHoursStart || null,
    quiet_hours_end: p.quietHoursEnd || null,
    cadence: p.cadence,
    updated_at: p.updatedAt,
    next_check_at: p.updatedAt,
  };
  await db
    .insertInto('nudge_preferences')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet(row).whereRef('nudge_preferences.updated_at', '<=', 'excluded.updated_at'))
    .execute();
}

/** A user the scheduler looks at, with the timezone their slots are in. */
export type DueUser = NudgePreferencesTable & { timezone: string };

/**
 * Leases up to `limit` users whose check is due: their next check moves `leaseMs` ahead, so no
 * other instance takes them meanwhile (`skip locked`), and a crashed instance's users come back
 * once it runs out.
 */
export async function leaseDueUsers(db: Kysely<RecommenderDatabase>, now: Date, limit: number, leaseMs: number): Promise<DueUser[]> {
  const { rows } = await sql<DueUser>`
    with due as (
      select user_id from nudge_preferences
      where next_check_at <= ${now} and cadence <> 'off' and cardinality(channels) > 0
      order by next_check_at limit ${limit} for update skip locked)
    update nudge_preferences p set next_check_at = ${new Date(now.getTime() + leaseMs)}
    from due left join user_timezones t on t.user_id = due.user_id
    where p.user_id = due.user_id
    returning p.*, coalesce(t.timezone, ${DEFAULT_TIMEZONE}) as timezone`.execute(db);
  return rows;
}

/** Sets the user's next check, unless their preferences changed while they were leased (then they are due at once). */
export async function setNextCheck(db: Kysely<RecommenderDatabase>, user: DueUser, at: Date): Promise<void> {
  await db.updateTable('nudge_preferences').set({ next_check_at: at }).where('user_id', '=', user.user_id).where('updated_at', '=', user.updated_at).execute();
}

/** Whether the scheduler has already run for this user and slot. */
export async function slotTaken(db: Executor<RecommenderDatabase>, userId: string, slot: string): Promise<boolean> {
  const row = await db.selectFrom('nudge_slots').select('slot').where('user_id', '=', userId).where('slot', '=', slot).executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims the user's slot: true for the one run that inserts it, false for any other (on any
 * instance), which must then do nothing. Runs in the transaction that stores the nudge.
 */
export async function claimSlot(db: Executor<RecommenderDatabase>, userId: string, slot: string, decisionId: string | null, ranAt: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('nudge_slots')
    .values({ user_id: userId, slot, decision_id: decisionId, outcome: decisionId ? 'requested' : 'nothing', ran_at: ranAt })
    .onConflict((oc) => oc.columns(['user_id', 'slot']).doNothing())
    .returning('slot')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Records what the notifier reported for a nudge's decision; in-app decisions and unknown ids are left alone. */
export async function recordDelivery(
  db: Executor<RecommenderDatabase>,
  decisionId: string,
  outcome: { status: 'delivered' | 'failed'; channel: string | null; reason: string | null },
): Promise<void> {
  await db
    .updateTable('decisions')
    .set({ delivery_status: outcome.status, delivery_channel: outcome.channel, delivery_reason: outcome.reason })
    .where('decision_id', '=', decisionId)
    .where('channel', '<>', 'in_app')
    // A delivery outranks a failure reported for the same decision by a redelivered event.
    .where((eb) => eb.or([eb('delivery_status', 'is', null), eb('delivery_status', '=', 'failed')]))
    .execute();
}

/** Slot rows older than `before` are no longer needed to keep a slot to one run. */
export async function pruneNudgeSlotsBatch(db: Executor<RecommenderDatabase>, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from nudge_slots where (user_id, slot) in (
      select user_id, slot from nudge_slots where ran_at < ${before} order by ran_at limit ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
