/** The gateway refused or failed a promotion call; the message carries its problem detail. */
export class PromoteCallError extends Error {
  readonly code = 'PIPELINES_PROMOTE_FAILED';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PromoteCallError';
  }
}

/**
 * Calls one of the gateway's policy admin routes with an admin's bearer token; resolves with the
 * status and JSON body of a 2xx answer, throws a PromoteCallError naming what went wrong otherwise.
 *
 * @example
 * const { body } = await callPolicyRoute(fetch, 'http://localhost:8080', token, 'GET', '/v1/admin/policies');
 */
export async function callPolicyRoute(
  fetchFn: typeof fetch,
  gateway: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetchFn(`${gateway}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new PromoteCallError(`cannot reach the gateway at ${gateway}: ${cause instanceof Error ? cause.message : String(cause)}`, undefined, { cause });
  }
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { detail: text.slice(0, 200) };
  }
  if (!res.ok) {
    const why = [parsed['code'], parsed['detail'] ?? parsed['title']].filter(Boolean).join(': ');
    const hint = res.status === 401 || res.status === 403 ? ' (TOKEN must be an admin’s access token)' : '';
    throw new PromoteCallError(`${method} ${path} answered ${res.status}${why ? ` ${why}` : ''}${hint}`, res.status);
  }
  return { status: res.status, body: parsed };
}
