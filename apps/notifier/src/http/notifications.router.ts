import { Router } from 'express';
import { z } from 'zod';
import { principal, validate } from '@oo/http';
import { NotifierError } from '../errors';
import type { NotifierContext } from '../service';

const b64url = z.string().min(16).max(256).regex(/^[A-Za-z0-9_-]+=*$/, 'must be base64url');
const subscriptionBody = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: b64url, auth: b64url }),
});
const removeQuery = z.object({ endpoint: z.url().max(2048) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/**
 * The caller's push subscriptions, the VAPID public key a browser subscribes with, and the
 * caller's recent notifications with what became of each (delivered, or dropped and why).
 */
export function notificationsRouter(ctx: Pick<NotifierContext, 'subscriptions' | 'db' | 'vapidPublicKey'>): Router {
  const router = Router();
  router.get('/v1/notifier/vapid-public-key', (_req, res) => {
    if (!ctx.vapidPublicKey) throw new NotifierError('NOTIFIER_PUSH_UNAVAILABLE', 'push notifications are not set up on this oO deployment');
    res.json({ publicKey: ctx.vapidPublicKey });
  });
  router.put('/v1/notifier/push-subscriptions', async (req, res) => {
    if (!ctx.vapidPublicKey) throw new NotifierError('NOTIFIER_PUSH_UNAVAILABLE', 'push notifications are not set up on this oO deployment');
    const body = validate(subscriptionBody, req.body, 'body');
    const { id, created } = await ctx.subscriptions.register(principal(res).userId, body);
    res.status(created ? 201 : 200).json({ id });
  });
  router.delete('/v1/notifier/push-subscriptions', async (req, res) => {
    const { endpoint } = validate(removeQuery, req.query, 'query');
    await ctx.subscriptions.remove(principal(res).userId, endpoint);
    res.status(204).end();
  });
  router.get('/v1/notifier/deliveries', async (req, res) => {
    const { limit } = validate(listQuery, req.query, 'query');
    const rows = await ctx.db
      .selectFrom('deliveries')
      .select(['delivery_id', 'decision_id', 'tip_id', 'title', 'status', 'channel', 'reason', 'detail', 'attempts', 'requested_at', 'delivered_at', 'not_after'])
      .where('user_id', '=', principal(res).userId)
      .orderBy('requested_at', 'desc')
      .limit(limit)
      .execute();
    res.json({
      notifications: rows.map((r) => ({
        id: r.delivery_id,
        decisionId: r.decision_id,
        tipId: r.tip_id,
        title: r.title,
        status: r.status,
        channel: r.channel,
        reason: r.reason,
        detail: r.detail,
        attempts: r.attempts,
        requestedAt: r.requested_at.toISOString(),
        deliveredAt: r.delivered_at?.toISOString() ?? null,
        notAfter: r.not_after.toISOString(),
      })),
    });
  });
  return router;
}
