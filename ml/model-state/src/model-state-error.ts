/** Why model state could not be read or applied; services map these to their own answers. */
export type ModelStateErrorCode =
  /** The log moved past the model (pruned, or a row is missing): reload from a snapshot. */
  | 'MODEL_STATE_GAP'
  | 'INVALID_SNAPSHOT'
  | 'INVALID_OBSERVATION'
  | 'UNKNOWN_LAYOUT';

export class ModelStateError extends Error {
  override readonly name = 'ModelStateError';

  constructor(
    readonly code: ModelStateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
