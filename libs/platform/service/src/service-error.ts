/**
 * The one error shape of oO's services: a stable `code`, the HTTP `status` the error handler
 * answers with (5xx details never reach the client) and the `cause`. Services do not subclass it
 * by hand; they list their codes with `defineServiceErrors`.
 */
export class ServiceError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The class `defineServiceErrors` returns: `new RecommenderError('RECOMMENDER_TIP_NOT_FOUND', 'no such tip')`. */
export interface ServiceErrorClass<Code extends string> {
  new (code: Code, message: string, options?: { cause?: unknown }): ServiceError<Code>;
  /** Every code of this service with its HTTP status. */
  readonly statusByCode: Readonly<Record<Code, number>>;
}

/**
 * Declares a service's error codes and the HTTP status of each, and returns its error class.
 * 500 means "never the client's fault"; a 4xx code's message is shown to the client as `detail`.
 *
 * @example
 * export const RecommenderError = defineServiceErrors('RecommenderError', {
 *   RECOMMENDER_TIP_NOT_FOUND: 404,
 *   RECOMMENDER_INVALID_ADVICE_LIBRARY: 500,
 * });
 * export type RecommenderErrorCode = keyof typeof RecommenderError.statusByCode;
 * throw new RecommenderError('RECOMMENDER_TIP_NOT_FOUND', `tip ${id} does not exist`);
 */
export function defineServiceErrors<const Codes extends Record<string, number>>(
  name: string,
  statusByCode: Codes,
): ServiceErrorClass<keyof Codes & string> {
  type Code = keyof Codes & string;
  const frozen = Object.freeze({ ...statusByCode }) as Readonly<Record<Code, number>>;
  const errorClass = class extends ServiceError<Code> {
    static readonly statusByCode = frozen;
    constructor(code: Code, message: string, options?: { cause?: unknown }) {
      super(code, frozen[code], message, options);
    }
  };
  Object.defineProperty(errorClass, 'name', { value: name });
  Object.defineProperty(errorClass.prototype, 'name', { value: name });
  return errorClass;
}

/** The kit's own codes: a descriptor that cannot run as declared. */
export const ServiceKitError = defineServiceErrors('ServiceKitError', {
  SERVICE_SUBSCRIPTIONS_MISMATCH: 500,
  SERVICE_NATS_URL_REQUIRED: 500,
  SERVICE_NATS_DEFINITIONS_NOT_FOUND: 500,
  SERVICE_STATELESS_MISUSE: 500,
});
