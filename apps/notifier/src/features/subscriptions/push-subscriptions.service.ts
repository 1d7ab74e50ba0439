import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { sql, type Kysely } from '@oo/db';
import type { NotifierDatabase } from '../../db/database';
import { NotifierError } from '../../errors';
import type { PushSubscriptionJson } from '../channels/channel';

export interface SubscriptionRules {
  maxPerUser: number;
  /** Local stand-ins: plain http and loopback endpoints allowed. */
  allowInsecure: boolean;
}

// Push services are public https hosts; an endpoint is user input the server will POST to.
function checkEndpoint(raw: string, allowInsecure: boolean): void {
  const url = new URL(raw);
  if (allowInsecure) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'https:' || isIP(host) !== 0 || host === 'localhost' || host.endsWith('.local') || host.endsWith('.internal')) {
    throw new NotifierError('NOTIFIER_BAD_SUBSCRIPTION', 'a push endpoint must be an https URL of a push service');
  }
}

/**
 * The browser push subscriptions of each user: registered (again) by endpoint, removed by the
 * user or when the push service says it is gone (404/410).
 *
 * @example
 * await subscriptions.register('ada', subscription.toJSON());
 */
export function createPushSubscriptions(db: Kysely<NotifierDatabase>, rules: SubscriptionRules) {
  return {
    async register(userId: string, subscription: PushSubscriptionJson): Promise<{ id: string; created: boolean }> {
      checkEndpoint(subscription.endpoint, rules.allowInsecure);
      return db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`push:${userId}`}))`.execute(trx);
        const existing = await trx.selectFrom('push_subscriptions').select(['subscription_id', 'user_id']).where('endpoint', '=', subscription.endpoint).executeTakeFirst();
        if (existing) {
          // The same browser again (or handed to another account on that device): it is now this user's.
          await trx.updateTable('push_subscriptions').set({ user_id: userId, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth }).where('subscription_id', '=', existing.subscription_id).execute();
          return { id: existing.subscription_id, created: false };
        }
        const count = await trx.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
        if (Number(count.n) >= rules.maxPerUser) throw new NotifierError('NOTIFIER_SUBSCRIPTION_LIMIT', `at most ${rules.maxPerUser} devices can receive push; remove one first`);
        const id = randomUUID();
        await trx.insertInto('push_subscriptions').values({ subscription_id: id, user_id: userId, endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth, last_success_at: null }).execute();
        return { id, created: true };
      });
    },

    async remove(userId: string, endpoint: string): Promise<boolean> {
      const result = await db.deleteFrom('push_subscriptions').where('user_id', '=', userId).where('endpoint', '=', endpoint).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type PushSubscriptions = ReturnType<typeof createPushSubscriptions>;
