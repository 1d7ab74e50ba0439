import type { Kysely } from 'kysely';
import type { EventBus, EventSubscription, EventsLogger } from './event-bus.types';
import type { EventsDatabase } from './events.tables';
import { inboxRetentionMs, purgeInbox } from './inbox.repository';

export interface InboxPurgeOptions {
  db: Kysely<EventsDatabase>;
  durable: string;
  log: EventsLogger;
  bus: Pick<EventBus, 'kind'>;
  subscription: Pick<EventSubscription, 'streamMaxAgeMs'>;
  /** The consumer's `inboxRetentionMs` (default 14 days), a lower bound. */
  configuredRetentionMs?: number;
}

/**
 * Purges the consumer's inbox now and then every hour (sooner for a short configured retention),
 * never dropping ids the stream can still replay (see `inboxRetentionMs`).
 *
 * @example
 * const purge = startInboxPurge({ db, durable, log, bus, subscription });
 * onStop(() => purge.stop());
 */
export function startInboxPurge(options: InboxPurgeOptions): { stop(): void } {
  const { db, durable, log, bus, subscription } = options;
  const configuredMs = options.configuredRetentionMs ?? 14 * 86_400_000;
  const purge = (): void => {
    const maxAgeMs = subscription.streamMaxAgeMs;
    // Until the broker has said how far back its stream reaches, a purge could drop ids it can
    // still replay. The in-process bus keeps nothing across restarts: the configured value holds.
    if (maxAgeMs === undefined && bus.kind !== 'in-process') return;
    const retentionMs = maxAgeMs === undefined ? configuredMs : inboxRetentionMs(configuredMs, maxAgeMs);
    if (!Number.isFinite(retentionMs)) return;
    purgeInbox(db, durable, new Date(Date.now() - retentionMs)).catch((err: unknown) => log.warn({ err, durable }, 'inbox purge failed'));
  };
  purge();
  const timer = setInterval(purge, Math.min(Math.max(configuredMs, 60_000), 3_600_000));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
