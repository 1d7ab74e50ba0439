import { unavailability } from '@oo/db';
import { HttpProblem } from './http-problem';

// Read by @oo/db's `unavailability`, the same reading the consumers use to hold a delivery.
const BUSY_RETRY_AFTER_S = '1';
const DOWN_RETRY_AFTER_S = '5';

type Kind = 'DATABASE_BUSY' | 'DATABASE_UNAVAILABLE' | 'DEPENDENCY_UNAVAILABLE';

const KIND_OF = { busy: 'DATABASE_BUSY', down: 'DATABASE_UNAVAILABLE', network: 'DEPENDENCY_UNAVAILABLE' } as const;

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
  const reason = unavailability(err);
  if (!reason) return undefined;
  const kind: Kind = KIND_OF[reason];
  const retryAfter = kind === 'DATABASE_BUSY' ? BUSY_RETRY_AFTER_S : DOWN_RETRY_AFTER_S;
  return new HttpProblem(503, { code: kind, detail: DETAILS[kind], headers: { 'Retry-After': retryAfter }, cause: err });
}
