import type { NatsDefinitions } from '@oo/events';

const REQUESTED = 'users.deletion.requested';

/**
 * The services that hold user data, read from one place: every service with a durable consumer
 * of `users.deletion.requested` in deploy/nats/consumers (durables are `<service>__<purpose>`).
 * A new service that stores user data declares that consumer, and from then on its receipt is
 * awaited; no list to keep in step by hand.
 *
 * @example
 * const holders = deletionHolders(kit.natsDefinitions); // ['integrations', 'ml-serving', …]
 */
export function deletionHolders({ consumers }: NatsDefinitions): string[] {
  const services = consumers.filter((c) => c.filterSubject === REQUESTED).map((c) => c.durable.split('__')[0] ?? c.durable);
  return [...new Set(services)].sort();
}
