import { z } from 'zod';
import type { AdviceItem } from './sim-population';

/** A service answered something the simulation cannot go on from. */
export class ServiceCallError extends Error {
  readonly code = 'PIPELINES_SERVICE_CALL_FAILED';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ServiceCallError';
  }
}

const recommendation = z.object({
  decisionId: z.string().min(1),
  tip: z.looseObject({ id: z.string().min(1), kind: z.string(), title: z.string().optional(), taskId: z.string().optional() }),
  policy: z.string(),
  modelVersion: z.string().nullish(),
  propensity: z.number(),
  fallback: z.boolean().optional(),
});
export type Recommendation = z.infer<typeof recommendation>;

const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
// The recommender names days (`mon`); numbers 0 (Sunday) … 6 are read too. Both become 0–6.
const weekday = z.union([z.number().int().min(0).max(6), z.enum(WEEKDAY_NAMES).transform((d) => WEEKDAY_NAMES.indexOf(d))]);

const adviceLibrary = z.object({
  version: z.union([z.string(), z.number()]).optional(),
  items: z.array(
    z.looseObject({
      id: z.string().min(1),
      kind: z.string(),
      title: z.string(),
      body: z.string().optional(),
      tags: z.array(z.string()).optional(),
      appliesWhen: z
        .object({ hours: z.tuple([z.number().int().min(0).max(24), z.number().int().min(0).max(24)]).optional(), weekdays: z.array(weekday).optional() })
        .nullish()
        .transform((w) => w ?? undefined),
    }),
  ),
});

export interface ServiceUrls {
  readonly recommender: string;
  readonly profile: string;
}

/** The calls a simulated user makes; each takes the user's bearer token. */
export interface ServiceClient {
  putPreferences(token: string, userId: string, timezone: string): Promise<void>;
  getAdvice(token: string): Promise<AdviceItem[]>;
  /** A tip, or null when the recommender has nothing to suggest (204). */
  recommend(token: string): Promise<Recommendation | null>;
  sendFeedback(token: string, decisionId: string, reaction: 'done' | 'snooze' | 'dismiss'): Promise<void>;
}

/**
 * HTTP calls to the recommender and profile APIs (fetch keeps connections alive).
 *
 * @example
 * const client = createServiceClient({ recommender: 'http://localhost:8084', profile: 'http://localhost:8082' });
 */
export function createServiceClient(urls: ServiceUrls, fetchFn: typeof fetch = fetch): ServiceClient {
  const call = async (method: string, url: string, token: string, body?: unknown): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchFn(url, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      throw new ServiceCallError(`${method} ${url} failed: ${describeFetchError(cause)} (is the service running?)`, undefined, { cause });
    }
    if (response.status >= 400) {
      const text = await response.text().catch(() => '');
      throw new ServiceCallError(`${method} ${url} answered ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`, response.status);
    }
    return response;
  };
  const parse = async <T>(response: Response, schema: z.ZodType<T, unknown>, what: string): Promise<T> => {
    const result = schema.safeParse(await response.json().catch(() => undefined));
    if (!result.success) throw new ServiceCallError(`${what}: unexpected body (${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, response.status);
    return result.data;
  };
  return {
    putPreferences: async (token, userId, timezone) => {
      const url = `${urls.profile}/v1/profiles/${encodeURIComponent(userId)}/preferences`;
      await (await call('PUT', url, token, { timezone, channels: ['in_app'], tipCadence: 'normal' })).arrayBuffer();
    },
    getAdvice: async (token) => (await parse(await call('GET', `${urls.recommender}/v1/advice`, token), adviceLibrary, 'GET /v1/advice')).items,
    recommend: async (token) => {
      const response = await call('POST', `${urls.recommender}/v1/recommend`, token, {});
      if (response.status === 204) return null;
      return parse(response, recommendation, 'POST /v1/recommend');
    },
    sendFeedback: async (token, decisionId, reaction) => {
      const url = `${urls.recommender}/v1/tips/${encodeURIComponent(decisionId)}/feedback`;
      await (await call('POST', url, token, { reaction })).arrayBuffer();
    },
  };
}

// fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause.
function describeFetchError(err: unknown): string {
  const inner = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const outer = err instanceof Error ? err.message : String(err);
  return inner?.code ?? inner?.message ?? outer;
}
