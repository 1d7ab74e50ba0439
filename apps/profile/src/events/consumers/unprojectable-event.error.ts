import { PermanentEventError } from '@oo/events';

/** An event that can never be projected (missing user, time or reaction): dead-lettered at once, not retried. */
export class UnprojectableEventError extends PermanentEventError {}
