/** Stable error codes of the db library. */
export type DbErrorCode = 'DB_INVALID_SCHEMA' | 'DB_INVALID_CONFIG' | 'DB_MIGRATION_FAILED';

/** An error raised by the db library; `code` is stable, `cause` keeps the original error. */
export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
