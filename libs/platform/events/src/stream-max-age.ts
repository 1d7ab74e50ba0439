import type { JetStreamManager } from '@nats-io/jetstream';

/**
 * The stream's `max_age` in ms; `Infinity` when the stream keeps events until other limits apply.
 *
 * @example
 * const maxAgeMs = await readStreamMaxAgeMs(jsm, 'SIGNALS'); // 2_592_000_000 for 30 days
 */
export async function readStreamMaxAgeMs(jsm: JetStreamManager, stream: string): Promise<number> {
  const { config } = await jsm.streams.info(stream);
  return config.max_age > 0 ? config.max_age / 1_000_000 : Infinity;
}
