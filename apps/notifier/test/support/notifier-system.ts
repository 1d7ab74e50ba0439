import { randomBytes, randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import webpush from 'web-push';
import { ConsentChangedSchema, NotifyRequestedSchema, PreferencesUpdatedSchema, UserCreatedSchema } from '@oo/contracts';
import { startPushService, startSmtpServer } from '@oo/provider-servers';
import { startServiceHarness } from '@oo/service-testing';
import { eventually } from '@oo/testing';
import { notifierService } from '../../src/service';

/**
 * The notifier on the kit's harness, sending to a local push service and a local SMTP server,
 * with helpers that publish what profile, auth and the recommender would.
 *
 * @example
 * const s = await startNotifierSystem('notifier-rules', { FATIGUE_CAP: '2' });
 */
export async function startNotifierSystem(label: string, env: Record<string, string> = {}) {
  const push = await startPushService();
  const smtp = await startSmtpServer();
  const vapid = webpush.generateVAPIDKeys();
  const h = await startServiceHarness(notifierService, {
    label,
    env: {
      NOTIFIER_LINK_SECRET: randomBytes(32).toString('base64url'),
      // https, as in production: RFC 8058's one-click header is only sent for an https link.
      PUBLIC_URL: 'https://oo.test',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@oo.test',
      PUSH_ALLOW_INSECURE_ENDPOINTS: 'true',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'oO <tips@oo.test>',
      DISPATCH_TICK_MS: '50',
      RETRY_BASE_MS: '100',
      ...env,
    },
  });
  const handledBefore = new Map<string, number>();
  // Publishes an event and waits until the notifier's consumer has handled it.
  const deliver = async (durable: string, publish: () => Promise<void>) => {
    const before = handledBefore.get(durable) ?? (await h.handled(durable));
    await publish();
    await eventually(async () => ((await h.handled(durable)) > before ? true : undefined), `${durable} to handle the event`);
    handledBefore.set(durable, before + 1);
  };
  const at = timestampFromDate;
  return {
    h,
    push,
    smtp,
    stop: async () => {
      await h.stop();
      await push.stop();
      await smtp.stop();
    },
    preferences: (userId: string, p: { timezone?: string; quiet?: [string, string]; channels: string[] }) =>
      deliver('notifier__preferences_updated', () =>
        h.publish('profile.preferences.updated', create(PreferencesUpdatedSchema, { userId, timezone: p.timezone ?? 'UTC', quietHoursStart: p.quiet?.[0] ?? '', quietHoursEnd: p.quiet?.[1] ?? '', channels: p.channels, tipCadence: 'normal', updatedAt: at(new Date()) }), userId, { source: 'profile' }),
      ),
    consent: (userId: string, purpose: string, granted: boolean) =>
      deliver('notifier__consent_changed', () =>
        h.publish('profile.consent.changed', create(ConsentChangedSchema, { userId, purpose, version: '1', textHash: 'a'.repeat(64), granted, changedAt: at(new Date()) }), userId, { source: 'profile' }),
      ),
    userCreated: (userId: string, email: string) =>
      deliver('notifier__user_created', () => h.publish('users.created', create(UserCreatedSchema, { userId, email, displayName: userId, createdAt: at(new Date()) }), userId, { source: 'auth' })),
    /** Asks for a nudge as the recommender's scheduler would; returns its decision id. */
    request: async (userId: string, r: { tipId?: string; channels?: string[]; notAfterMs?: number; decisionId?: string; msgId?: string } = {}) => {
      const decisionId = r.decisionId ?? randomUUID();
      const message = create(NotifyRequestedSchema, {
        decisionId,
        userId,
        channels: r.channels ?? ['push', 'email'],
        tipId: r.tipId ?? `task:${randomUUID()}`,
        title: 'File the expense report <now>',
        body: 'Due today.',
        notAfter: at(new Date(Date.now() + (r.notAfterMs ?? 3_600_000))),
        requestedAt: at(new Date()),
      });
      await deliver('notifier__notify_requested', () => h.publish('notify.requested', message, userId, { source: 'recommender', ...(r.msgId ? { msgId: r.msgId } : {}) }));
      return decisionId;
    },
    /** The delivery of a decision once it is settled (delivered, dropped or failed). */
    settled: (decisionId: string) =>
      eventually(async () => {
        const row = await h.db.selectFrom('deliveries').selectAll().where('decision_id', '=', decisionId).executeTakeFirst();
        return row && ['delivered', 'dropped', 'failed'].includes(row.status) ? row : undefined;
      }, `the delivery of ${decisionId} to settle`),
  };
}
