import { toProblem } from './error-handler';
import { HttpProblem } from './http-problem';

// Errors shaped as pg, pg-pool and Node's sockets raise them; this library never imports pg.
function pgError(code: string, message = 'server said no'): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

describe('toProblem', () => {
  it.each([
    ['a pool wait that timed out', new Error('timeout exceeded when trying to connect'), 'DATABASE_BUSY', '1'],
    ['a statement timeout (57014)', pgError('57014', 'canceling statement due to statement timeout'), 'DATABASE_BUSY', '1'],
    ['too many connections (53300)', pgError('53300'), 'DATABASE_BUSY', '1'],
    ['a connection that timed out', new Error('Connection terminated due to connection timeout'), 'DATABASE_UNAVAILABLE', '5'],
    ['a dropped connection', new Error('Connection terminated unexpectedly'), 'DATABASE_UNAVAILABLE', '5'],
    ['a connection failure (08006)', pgError('08006'), 'DATABASE_UNAVAILABLE', '5'],
    ['an admin shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command'), 'DATABASE_UNAVAILABLE', '5'],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up'), 'DATABASE_UNAVAILABLE', '5'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'DEPENDENCY_UNAVAILABLE', '5'],
    ['an unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }), 'DEPENDENCY_UNAVAILABLE', '5'],
  ])('answers %s with 503 and Retry-After', (_what, err, code, retryAfter) => {
    const problem = toProblem(err);
    expect(problem).toMatchObject({ status: 503, code, headers: { 'Retry-After': retryAfter } });
    expect(problem.cause).toBe(err);
    expect(problem.detail).not.toContain('server said no');
  });

  it('finds a database outage in the cause chain or among aggregated errors, and survives a cyclic chain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(toProblem(new Error('reading the profile failed', { cause: pgError('57P01') })).status).toBe(503);
    expect(toProblem(new AggregateError([refused], 'all addresses failed')).status).toBe(503);
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = new Error('b', { cause: a });
    expect(toProblem(a).status).toBe(500);
  });

  it('leaves other database errors, and our own codes, as they were', () => {
    expect(toProblem(pgError('23505', 'duplicate key')).status).toBe(500);
    expect(toProblem(pgError('42P01', 'relation does not exist')).status).toBe(500);
    expect(toProblem(Object.assign(new Error('x'), { code: 'PROFILE_08000' })).status).toBe(500);
    const own = Object.assign(new Error('profile gone'), { status: 410, code: 'PROFILE_GONE' });
    expect(toProblem(own)).toMatchObject({ status: 410, code: 'PROFILE_GONE' });
    const problem = new HttpProblem(409);
    expect(toProblem(problem)).toBe(problem);
  });

  it("keeps another library's 4xx status, showing its message only when it is marked for the client", () => {
    const exposed = Object.assign(new Error('range not satisfiable'), { status: 416, expose: true });
    expect(toProblem(exposed)).toMatchObject({ status: 416, detail: 'range not satisfiable' });
    const hidden = Object.assign(new Error('internal words'), { status: 400 });
    expect(toProblem(hidden)).toMatchObject({ status: 400, code: 'BAD_REQUEST', detail: undefined });
  });
});
