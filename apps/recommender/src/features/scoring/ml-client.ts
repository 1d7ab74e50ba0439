import { scoreResponseSchema, type ScoreRequest, type ScoreResponse } from '@oo/decision-features';
import type { Logger } from '@oo/logger';
import { jsonCaller, upstreamHealth, type UpstreamFailure } from '../upstream/upstream-call';

export type ScoreOutcome = { ok: true; response: ScoreResponse } | { ok: false; failure: UpstreamFailure; error: unknown };

export interface Scorer {
  /** Never rejects: a slow, missing or malformed answer comes back as a failure with its reason. */
  score(request: ScoreRequest, traceparent?: string): Promise<ScoreOutcome>;
  /** Closes the kept-alive connections (shutdown). */
  close(): void;
}

export interface MlClientOptions {
  baseUrl: string;
  serviceToken: string;
  timeoutMs: number;
  log: Logger;
}

/**
 * `POST /v1/score` on ml-serving within a deadline; the response is checked against the score API.
 *
 * @example
 * const outcome = await createMlClient({ baseUrl, serviceToken, timeoutMs: 60, log }).score(request);
 */
export function createMlClient(options: MlClientOptions): Scorer {
  const ml = jsonCaller(options.baseUrl);
  const authorization = `Bearer ${options.serviceToken}`;
  const health = upstreamHealth(options.log, 'ml-serving');
  return {
    async score(request, traceparent) {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization,
        ...(traceparent ? { traceparent } : {}),
      };
      const result = await ml.call('/v1/score', { method: 'POST', headers, body: JSON.stringify(request), timeoutMs: options.timeoutMs });
      if (!result.ok) {
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
