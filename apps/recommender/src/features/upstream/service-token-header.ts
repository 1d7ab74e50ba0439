/** A failed token request, shaped like an upstream call that could not be made. */
export interface NoServiceToken {
  readonly ok: false;
  readonly failure: 'unavailable';
  readonly error: unknown;
}

/**
 * The `Authorization` header for each upstream call, from the kit's `ctx.serviceToken()` (asked
 * every time, so a renewed token is used from the next call on). When no token can be had (auth
 * unreachable, credentials refused) the call is not made and the caller falls back as for an
 * unreachable upstream; the kit's token source logs why, once per outage.
 *
 * @example
 * const authorization = bearerFrom(ctx.serviceToken);
 * const auth = await authorization();
 * if (typeof auth !== 'string') return auth; // the upstream failure
 */
export function bearerFrom(serviceToken: () => Promise<string>): () => Promise<string | NoServiceToken> {
  return async () => {
    try {
      return `Bearer ${await serviceToken()}`;
    } catch (error) {
      return { ok: false, failure: 'unavailable', error };
    }
  };
}
