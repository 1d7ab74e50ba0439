/** An event that can never be projected (missing user, time or reaction); dead-lettered, not retried. */
export class UnprojectableEventError extends Error {
  override readonly name = 'UnprojectableEventError';
  readonly code = 'PROFILE_UNPROJECTABLE_EVENT';
}
