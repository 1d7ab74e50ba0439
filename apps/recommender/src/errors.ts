import { defineServiceErrors } from '@oo/service';

/** The recommender's error codes and the HTTP status of each (500: never the client's fault). */
export const RecommenderError = defineServiceErrors('RecommenderError', {
  RECOMMENDER_INVALID_ADVICE_LIBRARY: 500,
  RECOMMENDER_INVALID_QUERY: 400,
  RECOMMENDER_TIP_NOT_FOUND: 404,
  RECOMMENDER_REACTION_CONFLICT: 409,
  RECOMMENDER_UPSTREAM_FAILED: 502,
  RECOMMENDER_TOKEN_SOURCE_NOT_STARTED: 500,
});

export type RecommenderErrorCode = keyof typeof RecommenderError.statusByCode;
