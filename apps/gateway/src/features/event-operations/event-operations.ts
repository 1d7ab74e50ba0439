import { consumerLag, listDeadLetters, replayDeadLetter, type ConsumerLag, type DeadLetter, type EventBus, type JetStreamBus, type Replayed } from '@oo/events';
import { GatewayError } from '../../errors';

/** What the admin console's Events page asks of the broker. */
export interface EventOperations {
  consumers(): Promise<ConsumerLag[]>;
  deadLetters(options: { durable?: string; limit: number }): Promise<DeadLetter[]>;
  replay(sequence: number): Promise<Replayed | null>;
}

/**
 * The broker's view for admins, through the gateway's own JetStream connection (the one its
 * revocation fan-out uses): consumer lag per durable, dead letters and their replay. The
 * embedded system's in-process bus has neither, and says so.
 *
 * @example
 * const ops = eventOperations(kit.bus, config.STREAM_PREFIX);
 * const lag = await ops.consumers();
 */
export function eventOperations(bus: EventBus, prefix: string): EventOperations {
  const jetStream = (): Pick<JetStreamBus, 'jsm' | 'connection'> => {
    if (bus.kind !== 'jetstream') throw new GatewayError('GATEWAY_EVENTS_UNAVAILABLE', 'this system runs on the in-process bus (npm start without NATS_URL): consumer lag and dead letters are JetStream’s');
    const js = bus as JetStreamBus;
    try {
      // Both throw until the bus has first connected.
      return { jsm: js.jsm, connection: js.connection };
    } catch (err) {
      throw new GatewayError('GATEWAY_UPSTREAM_UNAVAILABLE', 'the gateway is not connected to NATS yet', { cause: err });
    }
  };
  return {
    consumers: () => consumerLag(jetStream().jsm, prefix),
    deadLetters: (options) => listDeadLetters(jetStream().jsm, prefix, options),
    replay: (sequence) => {
      const js = jetStream();
      return replayDeadLetter(js.connection, js.jsm, prefix, sequence);
    },
  };
}
