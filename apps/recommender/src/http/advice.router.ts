import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, pageRequest, toPage } from '@oo/http';
import type { AdviceLibrary } from '../features/advice/advice-library';

const adviceCursor = z.object({ id: z.string() });

/** GET /v1/advice: the advice library this instance serves, in library order (`?limit=&cursor=`; no user data, so no token). */
export function adviceRouter(library: AdviceLibrary): Router {
  const positions = new Map(library.items.map((item, i) => [item.id, i]));
  return Router().get('/v1/advice', (req, res) => {
    const { limit, after } = pageRequest(req.query, adviceCursor);
    const start = after === undefined ? 0 : (positions.get(after.id) ?? -1) + 1;
    if (start === 0 && after !== undefined) {
      throw new HttpProblem(400, {
        code: 'VALIDATION_FAILED',
        detail: 'The request is invalid; see errors.',
        extra: { errors: [{ path: 'query.cursor', message: 'names no advice of this library version' }] },
      });
    }
    const page = toPage(library.items.slice(start, start + limit + 1), limit, (last) => ({ id: last.id }));
    res.json({ version: library.version, ...page });
  });
}
