import { z } from 'zod';
import { HttpProblem } from './http-problem';
import { encodeCursor, pageRequest } from './pagination';

const key = z.object({ purpose: z.string() });

function problemOf(run: () => unknown): HttpProblem {
  try {
    run();
  } catch (err) {
    if (err instanceof HttpProblem) return err;
    throw err;
  }
  throw new Error('expected a problem');
}

describe('pageRequest', () => {
  it('reads a cursor it handed out', () => {
    expect(pageRequest({ limit: '2', cursor: encodeCursor({ purpose: 'push' }) }, key)).toEqual({ limit: 2, after: { purpose: 'push' } });
  });

  it('refuses a crafted cursor with a control character (Postgres text cannot hold NUL) as a 400', () => {
    const problem = problemOf(() => pageRequest({ cursor: encodeCursor({ purpose: 'a\u0000b' }) }, key));
    expect(problem.status).toBe(400);
    expect(problem.extra['errors']).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
  });

  it('refuses a limit above the maximum', () => {
    expect(problemOf(() => pageRequest({ limit: '101' }, key)).status).toBe(400);
  });
});
