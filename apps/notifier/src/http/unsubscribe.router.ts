import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import express, { Router } from 'express';
import { ChannelUnsubscribedSchema } from '@oo/contracts';
import { z } from 'zod';
import { validate } from '@oo/http';
import { NotifierError } from '../errors';
import type { NotifierContext } from '../service';

// The opt-out and its event in one transaction; a second click finds it and announces nothing.
async function optOut(ctx: Pick<NotifierContext, 'db' | 'enqueue' | 'clock'>, userId: string, channel: string): Promise<void> {
  const at = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('opt_outs').values({ user_id: userId, channel, at }).onConflict((oc) => oc.columns(['user_id', 'channel']).doNothing()).returning('channel').executeTakeFirst();
    if (!inserted) return;
    await ctx.enqueue(trx, 'notify.unsubscribed', create(ChannelUnsubscribedSchema, { userId, channel, unsubscribedAt: timestampFromDate(at) }), { userId, time: at });
  });
}

const tokenQuery = z.object({ token: z.string().min(10).max(1024) });
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One-click unsubscribe without a session (RFC 8058): the mail client POSTs
 * `List-Unsubscribe=One-Click` to the link; a person who opens the link gets a page with one
 * button (a GET changes nothing, since mail scanners follow links). Either way the channel is
 * turned off for the user the signed link names: here at once, and in their preferences through
 * `notify.unsubscribed` to profile.
 */
export function unsubscribeRouter(ctx: Pick<NotifierContext, 'links' | 'db' | 'enqueue' | 'clock'>): Router {
  const router = Router();
  const verified = (query: unknown) => {
    const { token } = validate(tokenQuery, query, 'query');
    const target = ctx.links.verify(token);
    if (!target) throw new NotifierError('NOTIFIER_BAD_LINK', 'this unsubscribe link is not one of ours, or it was changed');
    return { token, ...target };
  };
  router.get('/v1/notifier/unsubscribe', (req, res) => {
    const { token, channel } = verified(req.query);
    res
      .type('html')
      .set('cache-control', 'no-store')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head><body><main><h1>Stop ${escape(channel)} notifications from oO?</h1>` +
          `<form method="post" action="?token=${escape(encodeURIComponent(token))}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form></main></body></html>`,
      );
  });
  router.post('/v1/notifier/unsubscribe', express.urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
    const { userId, channel } = verified(req.query);
    await optOut(ctx, userId, channel);
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribed</title></head><body><main><h1>Done: no more ${escape(channel)} notifications.</h1></main></body></html>`);
  });
  return router;
}
