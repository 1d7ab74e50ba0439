import type { subjects } from '@oo/contracts';
import type { Enqueue, EnqueueWith } from '@oo/service';

/**
 * Writes one of the recommender's events into the outbox inside the caller's transaction (the
 * kit's `ctx.enqueue`: CloudEvents from `/services/recommender`); the relay publishes it after commit.
 */
export type EnqueueEvent = Enqueue<typeof subjects>;

/** The kit's `ctx.enqueueWith`: one of the recommender's events and the row it announces, in one statement. */
export type EnqueueEventWith = EnqueueWith<typeof subjects>;
