import type { components } from '@oo/api-client';

export type Problem = components['schemas']['Problem'];

/** An answer of the gateway that was not a success, carrying its RFC 9457 problem. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblem';
  }

  /** True for the gateway's "sign in again" answers (no session, or one too old for the action). */
  get needsSignIn(): boolean {
    return this.status === 401;
  }
}

const isProblem = (value: unknown): value is Problem =>
  typeof value === 'object' && value !== null && typeof (value as Problem).title === 'string' && typeof (value as Problem).status === 'number';

// A proxy or a crashed upstream may answer without a problem document: make one that says so.
function problemOf(error: unknown, response: Response): Problem {
  if (isProblem(error)) return error;
  return { type: 'about:blank', title: response.statusText || 'The request failed', status: response.status, code: 'UNEXPECTED_ANSWER', instance: new URL(response.url || '/', window.location.href).pathname };
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of an API answer, or an `ApiProblem` thrown for an error answer.
 *
 * @example
 * const me = await unwrap(api.GET('/v1/me'));
 */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiProblem(response.status, problemOf(error, response));
  return data as T;
}

/** A sentence for a person: what went wrong and, where the problem names them, which fields. */
export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) {
    const { problem } = error;
    const fields = problem.errors?.map((e) => `${e.path.replace(/^body\./, '')}: ${e.message}`).join('; ');
    const main = problem.detail ?? problem.title;
    return fields ? `${main} (${fields})` : main;
  }
  if (error instanceof TypeError) return 'oO could not be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}
