// Why a database call failed, when the reason is the moment and not the query: the one reading
// of node-postgres's and Postgres's errors that HTTP (503 with Retry-After) and consumers (hold
// the delivery, spend no attempt) share.

/** `busy`: out of connections or time; `down`: the server is away or dropped us; `network`: a socket failed. */
export type Unavailability = 'busy' | 'down' | 'network';

// Socket-level failures: nothing reached the server, or the connection to it broke.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
// 57014 statement timeout, 53300 too many connections.
const BUSY_STATES = new Set(['57014', '53300']);
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 25P03 idle-session timeout.
const DOWN_STATES = new Set(['57P01', '57P02', '57P03', '25P03']);
const BUSY_MESSAGES = [/^timeout exceeded when trying to connect$/];
// What node-postgres says when the server vanished mid-session (a failed ROLLBACK then replaces the original error).
const DOWN_MESSAGES = [/^Connection terminated/, /^Client has encountered a connection error and is not queryable$/, /^Query read timeout$/];
const MAX_ERRORS = 16;

// Duck-typed rather than `instanceof Error`: socket errors come from Node's own realm, which is not
// the caller's under a VM sandbox such as jest's.
function readOne(err: object): Unavailability | undefined {
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof message === 'string') {
    if (BUSY_MESSAGES.some((m) => m.test(message))) return 'busy';
    if (DOWN_MESSAGES.some((m) => m.test(message))) return 'down';
  }
  if (typeof code !== 'string') return undefined;
  if (NETWORK_CODES.has(code)) return 'network';
  if (BUSY_STATES.has(code)) return 'busy';
  if (DOWN_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'down';
  return undefined;
}

/**
 * Reads `err`, its `cause` chain and, for an AggregateError (a dial to every address of a host),
 * its `errors`: the first sign that the database was unavailable, or undefined for a failure of
 * the query itself (a constraint, a syntax error, a serialization conflict, a handler's bug).
 *
 * @example
 * if (unavailability(err) === 'busy') res.set('Retry-After', '1');
 */
export function unavailability(err: unknown): Unavailability | undefined {
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < MAX_ERRORS) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const found = readOne(current);
    if (found) return found;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return undefined;
}
