import { defineServiceErrors } from '@oo/service';

/** The profile service's error codes and the HTTP status of each (500: never the client's fault). */
export const ProfileError = defineServiceErrors('ProfileError', {
  PROFILE_UNKNOWN_SUBJECT: 500,
  PROFILE_INVALID_REGISTRY: 500,
  PROFILE_FEATURE_MISSING: 500,
});

export type ProfileErrorCode = keyof typeof ProfileError.statusByCode;
