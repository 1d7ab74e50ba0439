import express, { Router } from 'express';
import { z } from 'zod';
import { validate } from '@oo/http';
import { NotifierError } from '../errors';
import type { NotifierContext } from '../service';

const tokenQuery = z.object({ token: z.string().min(10).max(1024) });
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One-click unsubscribe without a session (RFC 8058): the mail client POSTs
 * `List-Unsubscribe=One-Click` to the link; a person who opens the link gets a page with one
 * button (a GET changes nothing, since mail scanners follow links). Either way the channel is
 * turned off for the user the signed link names.
 */
export function unsubscribeRouter(ctx: Pick<NotifierContext, 'links' | 'db'>): Router {
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
    await ctx.db.insertInto('opt_outs').values({ user_id: userId, channel }).onConflict((oc) => oc.columns(['user_id', 'channel']).doNothing()).execute();
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribed</title></head><body><main><h1>Done: no more ${escape(channel)} notifications.</h1></main></body></html>`);
  });
  return router;
}
