import { Router } from 'express';
import { principal, validate } from '@oo/http';
import type { IntegrationsContext } from '../service';
import { connectBody, feedBody, idParams, oauthProviderParams } from './schemas';

/**
 * The caller's connections: providers, list, OAuth connect (start and callback), calendar feeds,
 * sync now, disconnect. The user is always the token's, never one from the request.
 */
export function connectionsRouter(ctx: Pick<IntegrationsContext, 'connections' | 'connectFlow'>): Router {
  const router = Router();
  const { connections, connectFlow } = ctx;
  router.get('/v1/integrations/providers', (_req, res) => {
    res.json({ providers: connections.providers() });
  });
  router.get('/v1/integrations/connections', async (_req, res) => {
    res.json({ connections: await connections.list(principal(res).userId) });
  });
  router.get('/v1/integrations/connections/:id', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    res.json(await connections.get(principal(res).userId, id));
  });
  router.post('/v1/integrations/connect/:provider', async (req, res) => {
    const { provider } = validate(oauthProviderParams, req.params, 'params');
    const { timeZone } = validate(connectBody, req.body ?? {}, 'body');
    res.json(await connectFlow.start(principal(res).userId, provider, timeZone));
  });
  router.get('/v1/integrations/connect/:provider/callback', async (req, res) => {
    const { provider } = validate(oauthProviderParams, req.params, 'params');
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    res.status(201).json(await connectFlow.complete(principal(res).userId, provider, query));
  });
  router.post('/v1/integrations/feeds', async (req, res) => {
    const { url, timeZone } = validate(feedBody, req.body, 'body');
    res.status(201).json(await connections.addFeed(principal(res).userId, url, timeZone));
  });
  router.post('/v1/integrations/connections/:id/sync', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    res.status(202).json(await connections.syncNow(principal(res).userId, id));
  });
  router.delete('/v1/integrations/connections/:id', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    res.json(await connections.disconnect(principal(res).userId, id));
  });
  return router;
}
