import { Router } from 'express';
import type { AdviceLibrary } from '../features/advice/advice-library';

/** GET /v1/advice: the advice library this instance serves (no user data, so no token). */
export function adviceRouter(library: AdviceLibrary): Router {
  const document = { version: library.version, items: library.items };
  return Router().get('/v1/advice', (_req, res) => {
    res.json(document);
  });
}
