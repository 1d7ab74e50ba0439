import { defineServiceErrors } from '@oo/service';

/** ml-serving's error codes and the HTTP status of each (500: never the client's fault). */
export const MlServingError = defineServiceErrors('MlServingError', {
  ML_UNKNOWN_POLICY: 400,
  ML_MODEL_NOT_READY: 503,
  ML_REPLICA_BEHIND: 410,
  ML_DECISION_VANISHED: 500,
  ML_DECISION_INCOMPLETE: 500,
  ML_DECISION_LOG_UNAVAILABLE: 503,
  ML_PROMOTION_CONFLICT: 409,
  ML_PROMOTION_NOT_FOUND: 404,
});

export type MlServingErrorCode = keyof typeof MlServingError.statusByCode;
