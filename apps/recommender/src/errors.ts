/** The recommender's error codes, in one place. */
export type RecommenderErrorCode =
  | 'RECOMMENDER_INVALID_ADVICE_LIBRARY'
  | 'RECOMMENDER_TIP_NOT_FOUND'
  | 'RECOMMENDER_REACTION_CONFLICT'
  | 'RECOMMENDER_USERS_ONLY';

/** An error raised by the recommender's own logic, with a stable code and its cause. */
export class RecommenderError extends Error {
  override readonly name = 'RecommenderError';
  constructor(
    readonly code: RecommenderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
