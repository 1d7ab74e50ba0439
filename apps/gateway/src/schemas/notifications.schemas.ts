import { z } from 'zod';
import { isoDateTime } from './common.schemas';

const b64url = z.string().min(16).max(256).regex(/^[A-Za-z0-9_-]+=*$/, 'must be base64url');

/** A browser's PushSubscription as `subscription.toJSON()` gives it. */
export const pushSubscriptionSchema = z
  .object({
    endpoint: z.url({ protocol: /^https?$/ }).max(2048),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: b64url, auth: b64url }),
  })
  .meta({ id: 'PushSubscription' });

export const subscriptionIdSchema = z.object({ id: z.uuid() }).meta({ id: 'PushSubscriptionId' });
export const endpointQuery = z.strictObject({ endpoint: z.url().max(2048) });
export const vapidKeySchema = z.object({ publicKey: z.string().meta({ description: 'applicationServerKey for pushManager.subscribe (base64url)' }) }).meta({ id: 'VapidPublicKey' });
export const unsubscribeQuery = z.object({ token: z.string().min(10).max(1024) });
export const unsubscribeBody = z.object({ 'List-Unsubscribe': z.literal('One-Click').optional() }).catchall(z.string().max(256));

export const notificationsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });
export const notificationsSchema = z
  .object({
    notifications: z.array(
      z.object({
        id: z.uuid(),
        decisionId: z.string(),
        tipId: z.string(),
        title: z.string(),
        status: z.enum(['pending', 'deferred', 'delivered', 'dropped', 'failed']),
        channel: z.string().nullable(),
        reason: z.string().nullable().meta({ description: 'Why it was not sent: no_channel, no_destination, stale, duplicate, fatigue_cap, refused; quiet_hours while deferred' }),
        detail: z.string().nullable(),
        attempts: z.number().int(),
        requestedAt: isoDateTime,
        deliveredAt: isoDateTime.nullable(),
        notAfter: isoDateTime,
      }),
    ),
  })
  .meta({ id: 'Notifications' });
