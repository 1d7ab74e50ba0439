/** The profile service's error codes, in one place. */
export type ProfileErrorCode = 'PROFILE_UNKNOWN_SUBJECT' | 'PROFILE_INVALID_REGISTRY';

/** An error raised by the profile service's own logic, with a stable code and its cause. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
