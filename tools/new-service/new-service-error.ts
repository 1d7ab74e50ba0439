/** Why `npm run new:service` refused; the message is written for the person at the terminal. */
export type NewServiceErrorCode =
  | 'NEW_SERVICE_USAGE'
  | 'NEW_SERVICE_INVALID_NAME'
  | 'NEW_SERVICE_NAME_TAKEN'
  | 'NEW_SERVICE_INVALID_PORT'
  | 'NEW_SERVICE_PORT_TAKEN'
  | 'NEW_SERVICE_DEFAULT_PORTS_UNREADABLE'
  | 'NEW_SERVICE_TEMPLATE_INVALID'
  | 'NEW_SERVICE_FILE_EXISTS';

/** A refusal of the generator, with a stable code and, when another error led to it, its cause. */
export class NewServiceError extends Error {
  override readonly name = 'NewServiceError';
  constructor(
    readonly code: NewServiceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
