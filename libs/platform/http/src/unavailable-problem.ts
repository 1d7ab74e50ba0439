import { HttpProblem } from './http-problem';

// Recognised by shape, so this library needs no pg import: pg-pool's wait for a free connection,
// pg's dropped connections, Node's socket errors, and SQLSTATEs that mean "not now, try again".
const POOL_WAIT_MESSAGE = 'timeout exceeded when trying to connect';
const TERMINATED_PREFIX = 'Connection terminated';
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
// 57014 query_canceled (statement_timeout), 53300 too_many_connections.
const BUSY_SQLSTATES = new Set(['57014', '53300']);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 25P03 idle-in-transaction timeout.
const DOWN_SQLSTATES = new Set(['57P01', '57P02', '57P03', '25P03']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

// A little headroom for a pool to drain; longer for a server that is restarting or away.
const BUSY_RETRY_AFTER_S = '1';
const DOWN_RETRY_AFTER_S = '5';
// Causes and aggregated errors are followed this far; error graphs can be cyclic.
const MAX_CHAIN = 8;

type Kind = 'DATABASE_BUSY' | 'DATABASE_UNAVAILABLE' | 'DEPENDENCY_UNAVAILABLE';

function kindOf(err: object): Kind | undefined {
  const message = err instanceof Error ? err.message : undefined;
  const code: unknown = Reflect.get(err, 'code');
  if (message === POOL_WAIT_MESSAGE) return 'DATABASE_BUSY';
  if (message?.startsWith(TERMINATED_PREFIX)) return 'DATABASE_UNAVAILABLE';
  if (typeof code !== 'string') return undefined;
  if (NETWORK_CODES.has(code)) return 'DEPENDENCY_UNAVAILABLE';
  if (!SQLSTATE.test(code)) return undefined;
  if (BUSY_SQLSTATES.has(code)) return 'DATABASE_BUSY';
  if (code.startsWith('08') || DOWN_SQLSTATES.has(code)) return 'DATABASE_UNAVAILABLE';
  return undefined;
}

function findKind(err: unknown): Kind | undefined {
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < MAX_CHAIN) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const kind = kindOf(current);
    if (kind) return kind;
    queue.push(Reflect.get(current, 'cause'));
    const errors: unknown = Reflect.get(current, 'errors');
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return undefined;
}

const DETAILS: Record<Kind, string> = {
  DATABASE_BUSY: 'The service is busy; retry shortly.',
  DATABASE_UNAVAILABLE: 'The service cannot reach its database; retry shortly.',
  DEPENDENCY_UNAVAILABLE: 'The service cannot reach a system it depends on; retry shortly.',
};

/**
 * A 503 problem with `Retry-After` when `err` (or an error in its cause chain) says a database or
 * another dependency is unreachable, out of connections or timed out; else undefined. These are
 * conditions a client can retry through, not bugs, so they are never a 500.
 *
 * @example
 * const problem = unavailableProblem(new Error('timeout exceeded when trying to connect')); // 503 DATABASE_BUSY
 */
export function unavailableProblem(err: unknown): HttpProblem | undefined {
  const kind = findKind(err);
  if (!kind) return undefined;
  const retryAfter = kind === 'DATABASE_BUSY' ? BUSY_RETRY_AFTER_S : DOWN_RETRY_AFTER_S;
  return new HttpProblem(503, { code: kind, detail: DETAILS[kind], headers: { 'Retry-After': retryAfter }, cause: err });
}
