import { sql, type Executor } from '@oo/db';
import type { NotifierDatabase } from '../../db/database';
import type { RuleInputs } from './delivery-rules';

export interface RuleWindows {
  dedupeWindowMs: number;
  fatigueWindowMs: number;
  fatigueCap: number;
}

/**
 * Everything the rules need about one user, from the notifier's own projections (never from
 * profile on the send path). `excludeDeliveryId` keeps a delivery from counting as its own duplicate.
 */
export async function readRuleInputs(
  db: Executor<NotifierDatabase>,
  request: { userId: string; tipId: string; requested: readonly string[]; notAfter: Date; excludeDeliveryId: string },
  windows: RuleWindows,
  now: Date,
): Promise<RuleInputs> {
  const { userId } = request;
  const [prefs, consents, optOuts, contact, pushCount, recent] = await Promise.all([
    db.selectFrom('preferences').selectAll().where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('consents').select(['purpose', 'granted']).where('user_id', '=', userId).execute(),
    db.selectFrom('opt_outs').select('channel').where('user_id', '=', userId).execute(),
    db.selectFrom('contacts').select(['email', 'email_bounced_at']).where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow(),
    sql<{ delivered: string; duplicate: boolean }>`
      select count(*) filter (where status = 'delivered' and delivered_at > ${new Date(now.getTime() - windows.fatigueWindowMs)}) as delivered,
             coalesce(bool_or(tip_id = ${request.tipId} and status in ('pending', 'deferred', 'delivered') and requested_at > ${new Date(now.getTime() - windows.dedupeWindowMs)}), false) as duplicate
      from deliveries where user_id = ${userId} and delivery_id <> ${request.excludeDeliveryId}::uuid`.execute(db),
  ]);
  return {
    now,
    notAfter: request.notAfter,
    requested: request.requested,
    preferences: prefs ? { timezone: prefs.timezone, quietStart: prefs.quiet_start, quietEnd: prefs.quiet_end, channels: prefs.channels } : undefined,
    consents: new Map(consents.map((c) => [c.purpose, c.granted])),
    optedOut: new Set(optOuts.map((o) => o.channel)),
    destinations: { push: Number(pushCount.n) > 0, email: Boolean(contact?.email) && !contact?.email_bounced_at },
    duplicate: recent.rows[0]?.duplicate ?? false,
    deliveredInWindow: Number(recent.rows[0]?.delivered ?? 0),
    fatigueCap: windows.fatigueCap,
  };
}
