import type { Kysely } from '@oo/db';
import type { DeliveriesTable, NotifierDatabase } from '../../db/database';
import type { DeliveryOutcome, EmailMessage, PushOptions, PushPayload, PushSubscriptionJson } from '../channels/channel';
import type { Channel } from '../rules/delivery-rules';
import type { LinkSigner } from '../links/link-signer';
import { buildTipEmail } from '../channels/email/email-content';

/** The channels this deployment can send on (an unconfigured one is absent). */
export interface Senders {
  push?: { send(subscription: PushSubscriptionJson, payload: PushPayload, options: PushOptions): Promise<DeliveryOutcome> };
  email?: { send(message: EmailMessage): Promise<DeliveryOutcome> };
}

export interface AttemptDeps {
  db: Kysely<NotifierDatabase>;
  senders: Senders;
  links: LinkSigner;
  /** The web app's address: a notification links to the tip there. */
  appUrl: string;
}

type Delivery = Pick<DeliveriesTable, 'delivery_id' | 'decision_id' | 'user_id' | 'tip_id' | 'title' | 'body' | 'not_after'>;

const tipUrl = (deps: AttemptDeps, d: Delivery) => `${deps.appUrl.replace(/\/$/, '')}/?tip=${encodeURIComponent(d.tip_id)}&decision=${encodeURIComponent(d.decision_id)}`;

// A push to every device of the user: delivered if any accepts; dead subscriptions are deleted.
async function attemptPush(deps: AttemptDeps, d: Delivery, now: Date): Promise<DeliveryOutcome> {
  const sender = deps.senders.push;
  if (!sender) return { kind: 'failed', detail: 'push is not configured on this deployment' };
  const subscriptions = await deps.db.selectFrom('push_subscriptions').selectAll().where('user_id', '=', d.user_id).execute();
  if (subscriptions.length === 0) return { kind: 'gone', detail: 'no push subscription' };
  const ttlSeconds = Math.max(0, Math.floor((d.not_after.getTime() - now.getTime()) / 1000));
  const payload: PushPayload = { title: d.title, body: d.body, url: tipUrl(deps, d), decisionId: d.decision_id, tag: d.tip_id };
  const outcomes = await Promise.all(
    subscriptions.map(async (s) => {
      const outcome = await sender.send({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, { ttlSeconds, urgency: ttlSeconds < 3600 ? 'high' : 'normal', topic: d.tip_id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) });
      if (outcome.kind === 'gone') await deps.db.deleteFrom('push_subscriptions').where('subscription_id', '=', s.subscription_id).execute();
      if (outcome.kind === 'delivered') await deps.db.updateTable('push_subscriptions').set({ last_success_at: now }).where('subscription_id', '=', s.subscription_id).execute();
      return outcome;
    }),
  );
  return outcomes.find((o) => o.kind === 'delivered') ?? outcomes.find((o) => o.kind === 'retry') ?? outcomes.find((o) => o.kind === 'failed') ?? outcomes[0] ?? { kind: 'gone', detail: 'no push subscription' };
}

async function attemptEmail(deps: AttemptDeps, d: Delivery, now: Date): Promise<DeliveryOutcome> {
  const sender = deps.senders.email;
  if (!sender) return { kind: 'failed', detail: 'e-mail is not configured on this deployment' };
  const contact = await deps.db.selectFrom('contacts').select(['email', 'email_bounced_at', 'display_name']).where('user_id', '=', d.user_id).executeTakeFirst();
  if (!contact?.email || contact.email_bounced_at) return { kind: 'gone', detail: 'no working e-mail address' };
  const unsubscribeUrl = deps.links.unsubscribeUrl(d.user_id, 'email');
  const content = buildTipEmail({ title: d.title, body: d.body, tipUrl: tipUrl(deps, d), unsubscribeUrl, ...(contact.display_name ? { displayName: contact.display_name } : {}) });
  const outcome = await sender.send({ to: contact.email, ...content, unsubscribeUrl, deliveryId: d.delivery_id });
  if (outcome.kind === 'gone') await deps.db.updateTable('contacts').set({ email_bounced_at: now }).where('user_id', '=', d.user_id).execute();
  return outcome;
}

/** One attempt on one channel. */
export function attemptChannel(deps: AttemptDeps, channel: Channel, d: Delivery, now: Date): Promise<DeliveryOutcome> {
  return channel === 'push' ? attemptPush(deps, d, now) : attemptEmail(deps, d, now);
}
