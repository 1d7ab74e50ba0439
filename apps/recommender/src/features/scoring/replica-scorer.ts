import { CANDIDATE_FEATURES, type ParsedScoreRequest, type ScoreRequest } from '@oo/decision-features';
import type { Scorer } from './ml-client';
import type { ModelReplica } from './model-replica';

/** Where a decision was scored: in process on the replica, or by a call to ml-serving. */
export type ScoredBy = 'replica' | 'ml-serving';

/**
 * Scores on the replica when it can vouch for the answer, and asks ml-serving otherwise (whose
 * failures still end in the local policy). Both give the same probabilities at the same model
 * version, and the decision logs the version either way.
 *
 * @example
 * const scorer = replicaFirst(replica, createMlClient(options), (by) => scored.inc({ by }));
 */
export function replicaFirst(replica: ModelReplica, remote: Scorer, onScored: (by: ScoredBy) => void = () => undefined): Scorer {
  return {
    async score(request: ScoreRequest, traceparent?: string) {
      const parsed: ParsedScoreRequest = { ...request, candidateFeatures: request.candidateFeatures ?? [...CANDIDATE_FEATURES] };
      const local = scoreOn(replica, parsed);
      if (local !== undefined) {
        onScored('replica');
        return { ok: true, response: local };
      }
      onScored('ml-serving');
      return remote.score(request, traceparent);
    },
    close: () => remote.close(),
  };
}

// A model the replica cannot score on (it should not happen: the same code runs in ml-serving)
// costs this decision a call, not an error.
function scoreOn(replica: ModelReplica, request: ParsedScoreRequest) {
  try {
    return replica.score(request);
  } catch {
    return undefined;
  }
}
