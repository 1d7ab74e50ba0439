import { servicesConsuming, type NatsDefinitions } from '@oo/events';

/**
 * The services that hold user data, read from one place: every service with a durable consumer
 * of `users.deletion.requested` in deploy/nats/consumers (durables are `<service>__<purpose>`).
 * A new service that stores user data declares that consumer, and from then on its receipt is
 * awaited; no list to keep in step by hand.
 *
 * @example
 * const holders = deletionHolders(kit.natsDefinitions); // ['integrations', 'ml-serving', …]
 */
export function deletionHolders(definitions: NatsDefinitions): string[] {
  return servicesConsuming(definitions, 'users.deletion.requested');
}
