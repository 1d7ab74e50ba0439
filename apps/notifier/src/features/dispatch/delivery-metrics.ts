import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * The notifier's Prometheus series: deliveries settled by status and channel, and the delay
 * from the request to delivery.
 *
 * @example
 * const metrics = createDeliveryMetrics(kit.registry); // onSettled: metrics.record
 */
export function createDeliveryMetrics(registry: Registry) {
  const settled = new Counter({ name: 'oo_notifier_deliveries_total', help: 'Deliveries by outcome (delivered, failed, dropped, retry) and channel', labelNames: ['status', 'channel'] as const, registers: [registry] });
  const delay = new Histogram({ name: 'oo_notifier_delivery_delay_seconds', help: 'From notify.requested to a push service or mail server accepting it', buckets: [0.05, 0.1, 0.25, 0.5, 1, 5, 60, 3600], registers: [registry] });
  return {
    record(status: 'delivered' | 'failed' | 'dropped' | 'retry', channel: string | null, delayMs: number): void {
      settled.inc({ status, channel: channel ?? 'none' });
      if (status === 'delivered') delay.observe(delayMs / 1000);
    },
  };
}
