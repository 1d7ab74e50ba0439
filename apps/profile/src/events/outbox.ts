import type { subjects } from '@oo/contracts';
import type { Enqueue } from '@oo/service';

/**
 * Writes one of the profile's events into the outbox inside the caller's transaction (the kit's
 * `ctx.enqueue`: CloudEvents from `/services/profile`); the relay publishes it after commit.
 */
export type EnqueueEvent = Enqueue<typeof subjects>;
