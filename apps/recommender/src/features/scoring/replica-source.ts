import { decodeReplica, fromObservationPageJson, observationPageSchema, type ObservationPage, type ReplicaDocument } from '@oo/model-state';
import { RecommenderError } from '../../errors';
import { bearerFrom } from '../upstream/service-token-header';
import { jsonCaller, type UpstreamResult } from '../upstream/upstream-call';

/** What ml-serving answered a replica: the thing asked for, `behind` (410: load again), or a failure to retry. */
export type SourceAnswer<T> = { ok: true; value: T } | { ok: false; behind: boolean; error: unknown };

/** ml-serving's replica routes, over their own connections (a long poll must not hold a scoring socket). */
export interface ReplicaSource {
  replica(maxUsers: number): Promise<SourceAnswer<ReplicaDocument>>;
  /** The log after `version`; waits up to `waitMs` for something new. */
  observationsAfter(version: number, waitMs: number): Promise<SourceAnswer<ObservationPage>>;
  close(): void;
}

const LOAD_TIMEOUT_MS = 30_000;
const POLL_GRACE_MS = 5_000;

/**
 * @example
 * const source = replicaSource('http://ml-serving:8086', ctx.serviceToken);
 * const answer = await source.observationsAfter(model.version, 5_000);
 */
export function replicaSource(baseUrl: string, serviceToken: () => Promise<string>): ReplicaSource {
  const ml = jsonCaller(baseUrl, 2);
  const authorization = bearerFrom(serviceToken);
  const get = async (path: string, timeoutMs: number, response: 'json' | 'bytes'): Promise<UpstreamResult> => {
    const bearer = await authorization();
    if (typeof bearer !== 'string') return bearer;
    return ml.call(path, { headers: { authorization: bearer, accept: response === 'json' ? 'application/json' : 'application/octet-stream' }, timeoutMs, response });
  };
  const answer = <T>(result: UpstreamResult, read: (body: unknown) => T): SourceAnswer<T> => {
    if (!result.ok) return { ok: false, behind: result.status === 410, error: result.error };
    try {
      return { ok: true, value: read(result.body) };
    } catch (error) {
      return { ok: false, behind: false, error: new RecommenderError('RECOMMENDER_UPSTREAM_FAILED', 'ml-serving sent an unreadable replica answer', { cause: error }) };
    }
  };
  return {
    replica: async (maxUsers) => answer(await get(`/v1/models/current/replica?maxUsers=${maxUsers}`, LOAD_TIMEOUT_MS, 'bytes'), (body) => decodeReplica(body as Buffer)),
    observationsAfter: async (version, waitMs) =>
      answer(await get(`/v1/models/current/observations?after=${version}&waitMs=${waitMs}`, waitMs + POLL_GRACE_MS, 'json'), (body) =>
        fromObservationPageJson(observationPageSchema.parse(body)),
      ),
    close: () => ml.close(),
  };
}
