import { Router } from 'express';
import { principal, validate } from '@oo/http';
import type { ManualTasksService } from '../features/manual-tasks/manual-tasks.service';
import { idParams, taskBody, taskPatch, tasksQuery } from './schemas';

/** The caller's tasks: every open one listed, manual ones created, edited, completed and deleted. */
export function tasksRouter(tasks: ManualTasksService): Router {
  const router = Router();
  router.get('/v1/integrations/tasks', async (req, res) => {
    const { limit, source, cursor } = validate(tasksQuery, req.query, 'query');
    res.json(await tasks.list(principal(res).userId, { limit, ...(source ? { source } : {}), ...(cursor ? { before: cursor } : {}) }));
  });
  router.post('/v1/integrations/tasks', async (req, res) => {
    const body = validate(taskBody, req.body, 'body');
    res.status(201).json(await tasks.create(principal(res).userId, body));
  });
  router.patch('/v1/integrations/tasks/:id', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    res.json(await tasks.update(principal(res).userId, id, validate(taskPatch, req.body, 'body')));
  });
  router.post('/v1/integrations/tasks/:id/complete', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    res.json(await tasks.complete(principal(res).userId, id));
  });
  router.delete('/v1/integrations/tasks/:id', async (req, res) => {
    const { id } = validate(idParams, req.params, 'params');
    await tasks.remove(principal(res).userId, id);
    res.status(204).end();
  });
  return router;
}
