import { z } from 'zod';
import { contextFeatureSchema, SCORE_LIMITS, type ContextFeatureInput } from '@oo/decision-features';
import type { Logger } from '@oo/logger';
import { bearerFrom } from '../upstream/service-token-header';
import { jsonCaller, upstreamHealth, type UpstreamFailure, type UpstreamResult } from '../upstream/upstream-call';
import { createUpstreamUnauthorized, type UpstreamUnauthorized } from '../upstream/upstream-unauthorized';

export interface ProfileClientOptions {
  baseUrl: string;
  /** The token to present, asked for on every call (the kit's `ctx.serviceToken`), so renewals take effect. */
  serviceToken: () => Promise<string>;
  timeoutMs: number;
  registryRefreshMs: number;
  log: Logger;
  /** Counts 401/403 answers (`oo_upstream_unauthorized_total`); without it they are still logged as errors. */
  unauthorized?: UpstreamUnauthorized;
}

/** The user's profile features, or fallbacks and the reason profile could not give them. */
export interface ContextFeatures {
  features: ContextFeatureInput[];
  failure?: UpstreamFailure;
}

export interface ProfileClient {
  /** Never rejects: on any failure the registry's fallbacks come back, each with status `fallback`. */
  features(userId: string, traceparent?: string): Promise<ContextFeatures>;
  /** Fetches the registry's fallbacks again; false when profile did not answer. */
  refreshRegistry(): Promise<boolean>;
  stop(): void;
}

/** Used until the registry has been read once: the values contextVector treats as "no information". */
export const NEUTRAL_FALLBACKS: readonly ContextFeatureInput[] = Object.freeze(
  ['completion_rate_30d', 'dismiss_rate_30d', 'tip_volume_30d'].map((name) => Object.freeze({ name, value: 0, status: 'fallback' as const })),
);

const REGISTRY_TIMEOUT_MS = 2_000;
const featuresResponse = z.object({ features: z.array(z.unknown()) });
const registryResponse = z.object({ features: z.array(z.object({ name: z.string(), fallback: z.union([z.number(), z.string()]) })) });

// Keep what the score API accepts and drop the rest, so one odd feature cannot cost a decision its context.
function usable(entries: readonly unknown[]): ContextFeatureInput[] {
  const out: ContextFeatureInput[] = [];
  for (const entry of entries) {
    const parsed = contextFeatureSchema.safeParse(entry);
    if (parsed.success && out.length < SCORE_LIMITS.contextFeatures) out.push(parsed.data);
  }
  return out;
}

/**
 * Reads context from profile (`GET /v1/profiles/{id}/features`) within a short budget, and keeps
 * the registry's fallbacks (`GET /v1/registry`, read at start and every `registryRefreshMs`) for
 * when it cannot.
 *
 * @example
 * const profile = createProfileClient({ baseUrl, serviceToken, timeoutMs: 80, registryRefreshMs: 300_000, log });
 * const { features, failure } = await profile.features('u1', traceparent);
 */
export function createProfileClient(options: ProfileClientOptions): ProfileClient {
  const { timeoutMs, log } = options;
  const profile = jsonCaller(options.baseUrl);
  const health = upstreamHealth(log, 'profile');
  const authorization = bearerFrom(options.serviceToken);
  const unauthorized = options.unauthorized ?? createUpstreamUnauthorized(log);
  const noteRefusal = (result: UpstreamResult, call: string): void => {
    if (!result.ok && (result.status === 401 || result.status === 403)) unauthorized.refused('profile', result.status, call);
  };
  let fallbacks: readonly ContextFeatureInput[] = NEUTRAL_FALLBACKS;

  const refreshRegistry = async (): Promise<boolean> => {
    const bearer = await authorization();
    const result = typeof bearer === 'string' ? await profile.call('/v1/registry', { headers: { accept: 'application/json', authorization: bearer }, timeoutMs: REGISTRY_TIMEOUT_MS }) : bearer;
    noteRefusal(result, 'GET /v1/registry');
    const registry = result.ok ? registryResponse.safeParse(result.body) : undefined;
    if (!registry?.success) {
      log.warn({ err: result.ok ? registry?.error : result.error }, 'profile registry not read; keeping the fallbacks known so far');
      return false;
    }
    const next = usable(registry.data.features.map((f) => ({ name: f.name, value: f.fallback, status: 'fallback' })));
    if (next.length > 0) fallbacks = Object.freeze(next);
    return true;
  };

  const timer = setInterval(() => void refreshRegistry(), options.registryRefreshMs);
  timer.unref();

  return {
    async features(userId, traceparent) {
      const bearer = await authorization();
      const headers = (authorization: string): Record<string, string> => ({ accept: 'application/json', authorization, ...(traceparent ? { traceparent } : {}) });
      const result = typeof bearer === 'string' ? await profile.call(`/v1/profiles/${encodeURIComponent(userId)}/features`, { headers: headers(bearer), timeoutMs }) : bearer;
      noteRefusal(result, 'GET /v1/profiles/:userId/features');
      const body = result.ok ? featuresResponse.safeParse(result.body) : undefined;
      if (body?.success) {
        health.succeeded();
        return { features: usable(body.data.features) };
      }
      const failure = result.ok ? 'error' : result.failure;
      health.failed(failure, result.ok ? body?.error : result.error);
      return { features: [...fallbacks], failure };
    },
    refreshRegistry,
    stop: () => {
      clearInterval(timer);
      profile.close();
    },
  };
}
