import { subjects } from '@oo/contracts';
import { answerExportRequest, defineService, type Kit } from '@oo/service';
import { createRoutes } from './app';
import { notifierConfigSchema, type NotifierConfig } from './config';
import type { NotifierDatabase } from './db/database';
import { notifierMigrations } from './db/migrations';
import { NOTIFIER_EXPORT } from './features/export/notifier-export';
import { handleUserDeletion } from './events/consumers/user-deletion.consumer';
import { createEmailSender } from './features/channels/email/email-sender';
import { createPushSender } from './features/channels/push/push-sender';
import { takeNotifyRequest } from './features/deliveries/delivery-intake';
import type { Senders } from './features/dispatch/channel-attempt';
import { startDeliveryDispatcher } from './features/dispatch/delivery-dispatcher';
import { createDeliveryMetrics } from './features/dispatch/delivery-metrics';
import { createLinkSigner } from './features/links/link-signer';
import { projectConsent, projectPreferences, projectUserCreated } from './features/projections/projections.repository';
import { createPushSubscriptions } from './features/subscriptions/push-subscriptions.service';

type NotifierKit = Kit<NotifierConfig, NotifierDatabase, typeof subjects>;

function sendersFrom(config: NotifierConfig) {
  const senders: Senders & { close?: () => Promise<void> } = {};
  if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) {
    senders.push = createPushSender({ vapid: { subject: config.VAPID_SUBJECT, publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY }, timeoutMs: config.CHANNEL_TIMEOUT_MS });
  }
  if (config.SMTP_URL) {
    const email = createEmailSender({ smtpUrl: config.SMTP_URL, from: config.EMAIL_FROM, timeoutMs: config.CHANNEL_TIMEOUT_MS });
    senders.email = email;
    senders.close = () => email.close();
  }
  return senders;
}

// The notifier's own parts: the channels, signed links, subscriptions and the dispatcher.
function setupNotifier(kit: NotifierKit) {
  const { config, db, log, clock, enqueue } = kit;
  const links = createLinkSigner(Buffer.from(config.NOTIFIER_LINK_SECRET, 'base64url'), config.PUBLIC_URL);
  const senders = sendersFrom(config);
  const windows = { dedupeWindowMs: config.DEDUPE_WINDOW_MS, fatigueWindowMs: config.FATIGUE_WINDOW_MS, fatigueCap: config.FATIGUE_CAP };
  const metrics = createDeliveryMetrics(kit.registry);
  const dispatcher = startDeliveryDispatcher({
    db, log, clock, enqueue, senders, links, windows,
    appUrl: config.APP_URL ?? config.PUBLIC_URL,
    tickMs: config.DISPATCH_TICK_MS,
    leaseMs: config.DISPATCH_LEASE_MS,
    batch: config.DISPATCH_BATCH,
    retryBaseMs: config.RETRY_BASE_MS,
    onSettled: metrics.record,
  });
  return {
    links,
    senders,
    dispatcher,
    vapidPublicKey: config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY ? config.VAPID_PUBLIC_KEY : undefined,
    subscriptions: createPushSubscriptions(db, { maxPerUser: config.MAX_PUSH_SUBSCRIPTIONS_PER_USER, allowInsecure: config.PUSH_ALLOW_INSECURE_ENDPOINTS }),
    intake: { enqueue, clock, windows, poke: () => dispatcher.poke() },
  };
}

/** What the notifier's routes and handlers receive: the kit and its own parts. */
export type NotifierContext = NotifierKit & ReturnType<typeof setupNotifier>;

/**
 * The notifier, declared: `main.ts`, the test harness and the embedded start all run this. Its
 * subscriptions match deploy/nats/consumers/notifier.json one for one.
 */
export const notifierService = defineService<NotifierDatabase>()({
  name: 'notifier',
  config: notifierConfigSchema,
  migrations: notifierMigrations,
  subjects,
  setup: setupNotifier,
  routes: (ctx) => createRoutes(ctx),
  subscriptions: [
    { durable: 'notifier__notify_requested', subject: 'notify.requested', handler: (trx, event, ctx) => takeNotifyRequest(trx, event.message, ctx.intake) },
    { durable: 'notifier__preferences_updated', subject: 'profile.preferences.updated', handler: (trx, event) => projectPreferences(trx, event.message, event.time) },
    { durable: 'notifier__consent_changed', subject: 'profile.consent.changed', handler: (trx, event) => projectConsent(trx, event.message, event.time) },
    { durable: 'notifier__user_created', subject: 'users.created', handler: (trx, event) => projectUserCreated(trx, event.message) },
    {
      durable: 'notifier__user_deletion',
      subject: 'users.deletion.requested',
      applyToErasedUsers: true,
      handler: (trx, event, ctx) => handleUserDeletion(trx, event.message, ctx),
    },
    { durable: 'notifier__export_requested', subject: 'exports.requested', handler: (trx, event, ctx) => answerExportRequest(trx, event.message, ctx, NOTIFIER_EXPORT) },
  ],
  stop: [
    { name: 'stop dispatching', run: (ctx) => ctx.dispatcher.stop() },
    { name: 'close the SMTP pool', run: (ctx) => ctx.senders.close?.() },
  ],
});
