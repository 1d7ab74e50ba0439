import type { EventsLogger, SubscriptionHealth } from './event-bus.types';

/**
 * What a subscription knows about its broker: when it last showed signs of life, and why it is
 * stalled if it is. Logs each transition once. Before the first sign of life it reports `starting`.
 */
export class Liveness {
  private stalledReason?: string;
  private aliveAt?: Date;

  constructor(
    private readonly log: EventsLogger,
    private readonly durable: string,
  ) {}

  get lastAliveAt(): Date | undefined {
    return this.aliveAt;
  }

  markAlive(): void {
    this.aliveAt = new Date();
    if (this.stalledReason) this.log.info({ durable: this.durable }, 'consumer recovered');
    this.stalledReason = undefined;
  }

  markStalled(reason: string): void {
    if (this.stalledReason !== reason) this.log.warn({ durable: this.durable, reason }, 'consumer stalled');
    this.stalledReason = reason;
  }

  /** A stall that needs someone to act (the consumer is not provisioned): logged as an error. */
  markBroken(reason: string, err: unknown): void {
    if (this.stalledReason !== reason) this.log.error({ durable: this.durable, reason, err }, 'consumer cannot start');
    this.stalledReason = reason;
  }

  health(state: { stopping: boolean; connected: boolean }): SubscriptionHealth {
    const lastAliveAt = this.aliveAt;
    if (state.stopping) return { healthy: false, reason: 'stopped', lastAliveAt };
    if (!state.connected) return { healthy: false, reason: 'disconnected', lastAliveAt };
    if (this.stalledReason) return { healthy: false, reason: this.stalledReason, lastAliveAt };
    if (!lastAliveAt) return { healthy: false, reason: 'starting' };
    return { healthy: true, lastAliveAt };
  }
}
