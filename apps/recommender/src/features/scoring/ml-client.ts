import { scoreResponseSchema, type ScoreRequest, type ScoreResponse } from '@oo/decision-features';
import type { Logger } from '@oo/logger';
import { bearerFrom } from '../upstream/service-token-header';
import { jsonCaller, upstreamHealth, type UpstreamFailure } from '../upstream/upstream-call';
import { createUpstreamUnauthorized, type UpstreamUnauthorized } from '../upstream/upstream-unauthorized';

export type ScoreOutcome = { ok: true; response: ScoreResponse } | { ok: false; failure: UpstreamFailure; error: unknown };

export interface Scorer {
  /** Never rejects: a slow, missing or malformed answer comes back as a failure with its reason. */
  score(request: ScoreRequest, traceparent?: string): Promise<ScoreOutcome>;
  /** Closes the kept-alive connections (shutdown). */
  close(): void;
}

export interface MlClientOptions {
  baseUrl: string;
  /** The token to present, asked for on every call (the kit's `ctx.serviceToken`), so renewals take effect. */
  serviceToken: () => Promise<string>;
  timeoutMs: number;
  log: Logger;
  /** Counts 401/403 answers (`oo_upstream_unauthorized_total`); without it they are still logged as errors. */
  unauthorized?: UpstreamUnauthorized;
}

/**
 * `POST /v1/score` on ml-serving within a deadline; the response is checked against the score API.
 *
 * @example
 * const outcome = await createMlClient({ baseUrl, serviceToken, timeoutMs: 60, log }).score(request);
 */
export function createMlClient(options: MlClientOptions): Scorer {
  const ml = jsonCaller(options.baseUrl);
  const authorization = bearerFrom(options.serviceToken);
  const health = upstreamHealth(options.log, 'ml-serving');
  const unauthorized = options.unauthorized ?? createUpstreamUnauthorized(options.log);
  return {
    async score(request, traceparent) {
      const bearer = await authorization();
      if (typeof bearer !== 'string') {
        health.failed(bearer.failure, bearer.error);
        return bearer;
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: bearer,
        ...(traceparent ? { traceparent } : {}),
      };
      const result = await ml.call('/v1/score', { method: 'POST', headers, body: JSON.stringify(request), timeoutMs: options.timeoutMs });
      if (!result.ok) {
        if (result.status === 401 || result.status === 403) unauthorized.refused('ml-serving', result.status, 'POST /v1/score');
        health.failed(result.failure, result.error);
        return result;
      }
      const parsed = scoreResponseSchema.safeParse(result.body);
      if (!parsed.success) {
        health.failed('error', parsed.error);
        return { ok: false, failure: 'error', error: parsed.error };
      }
      health.succeeded();
      return { ok: true, response: parsed.data };
    },
    close: () => ml.close(),
  };
}
