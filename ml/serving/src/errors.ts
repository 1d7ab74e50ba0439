/** The ml-serving error codes, in one place. */
export type MlServingErrorCode =
  | 'ML_UNKNOWN_POLICY'
  | 'ML_MODEL_NOT_READY'
  | 'ML_MODEL_STATE_GAP'
  | 'ML_INVALID_SNAPSHOT'
  | 'ML_INVALID_OBSERVATION'
  | 'ML_UNKNOWN_LAYOUT';

const STATUS: Partial<Record<MlServingErrorCode, number>> = {
  ML_UNKNOWN_POLICY: 400,
  ML_MODEL_NOT_READY: 503,
};

/**
 * An error raised by ml-serving's own logic, with a stable code, its cause and, where a client
 * could meet it, the HTTP status the error handler answers with.
 */
export class MlServingError extends Error {
  override readonly name = 'MlServingError';
  readonly status: number | undefined;
  constructor(
    readonly code: MlServingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = STATUS[code];
  }
}
