/** The recommender's error codes, with the HTTP status each becomes at the edge (500: never the client's fault). */
const STATUS_BY_CODE = {
  RECOMMENDER_INVALID_ADVICE_LIBRARY: 500,
  RECOMMENDER_TIP_NOT_FOUND: 404,
  RECOMMENDER_REACTION_CONFLICT: 409,
} as const;

export type RecommenderErrorCode = keyof typeof STATUS_BY_CODE;

/**
 * An error raised by the recommender's own logic, with a stable code, its HTTP status and its
 * cause; the error handler turns 4xx ones into problem+json with the message as detail.
 */
export class RecommenderError extends Error {
  override readonly name = 'RecommenderError';
  readonly status: number;
  constructor(
    readonly code: RecommenderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = STATUS_BY_CODE[code];
  }
}
