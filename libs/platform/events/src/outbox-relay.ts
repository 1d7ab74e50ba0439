import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { describeError } from './errors';
import { silentLogger, type EventBus, type EventsLogger } from './event-bus.types';
import { createEventsMetrics, type EventsMetrics } from './events-metrics';
import { eventsDb } from './events.tables';
import { listenForOutboxInserts, type OutboxListener } from './outbox-listener';
import { countBacklog, currentSchema, purgePublished, type DeadRow } from './outbox-relay.repository';
import { runRound, type RoundResult } from './outbox-round';

export interface OutboxRelayOptions<DB> {
  db: Kysely<DB>;
  bus: EventBus;
  log?: EventsLogger;
  metrics?: EventsMetrics;
  /** Rows claimed per round (default 200). */
  batchSize?: number;
  /**
   * How long a round's claim on a user's rows lasts (default 30 s). The relay starts no publish
   * after it; another relay takes the rows over once it ran out (after a crash, or a publish that
   * hangs). Keep it well above the bus's publish timeout.
   */
  leaseMs?: number;
  /**
   * The least time from one round's start to the next (default 10 ms): under load the commits of
   * that interval go out in one round (two statements and the publishes) instead of one round each.
   */
  minRoundIntervalMs?: number;
  /** Poll interval when no notification arrives (default 1000). */
  pollMs?: number;
  /** With the database URL the relay LISTENs and wakes at each commit; without it, it only polls. */
  databaseUrl?: string;
  /** Published rows are deleted after this long (default 24 h). */
  retentionMs?: number;
  /** How often the purge runs (default 60 s). */
  purgeIntervalMs?: number;
  /** Pause after a failed round, doubling from `min` to `max` (default 100 → 5000 ms). */
  retryBackoffMs?: { min: number; max: number };
}

export interface OutboxRelayHealth {
  /** False while rounds are failing (broker down); the outbox keeps every event meanwhile. */
  healthy: boolean;
  lastSuccessAt?: Date;
  /** Unpublished rows at the last count. */
  backlog: number;
  consecutiveFailures: number;
  lastError?: string;
}

export interface OutboxRelay {
  health(): OutboxRelayHealth;
  /** Runs a round now instead of at the next poll. */
  wake(): void;
  /** Finishes the round in progress and stops. */
  stop(): Promise<void>;
}

/**
 * Publishes committed outbox rows in order and marks them, until stopped. Several relays (one per
 * replica) may run on one schema; each leases a user's rows for a round and holds no transaction
 * while it publishes. A broker outage makes rounds fail and back off; every row stays until the
 * broker acknowledged it, and a republish after a crash is deduplicated by the broker
 * (`Nats-Msg-Id` = `ce-id`) and by consumers' inboxes. A row the broker refuses for good (too
 * large) moves to `event_outbox_dead` with the reason, and the user's next rows go on.
 *
 * @example
 * const relay = startOutboxRelay({ db, bus, log, metrics, databaseUrl: config.databaseUrl });
 * onShutdown(() => relay.stop());
 */
export function startOutboxRelay<DB>(options: OutboxRelayOptions<DB>): OutboxRelay {
  const db = eventsDb(options.db);
  const log = options.log ?? silentLogger;
  const metrics = options.metrics ?? createEventsMetrics();
  const batchSize = options.batchSize ?? 200;
  const pollMs = options.pollMs ?? 1_000;
  const minRoundIntervalMs = options.minRoundIntervalMs ?? 10;
  const retentionMs = options.retentionMs ?? 24 * 3_600_000;
  const purgeIntervalMs = options.purgeIntervalMs ?? 60_000;
  const backoff = options.retryBackoffMs ?? { min: 100, max: 5_000 };
  const round = {
    batchSize,
    leaseMs: options.leaseMs ?? 30_000,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  };

  let stopped = false;
  let wakeRequested = false;
  let wakeSleep: (() => void) | undefined;
  let listener: OutboxListener | undefined;
  let schema = 'unknown';
  const state: { backlog: number; failures: number; lastSuccessAt?: Date; lastError?: string } = { backlog: 0, failures: 0 };
  let lastPurgeAt = 0;
  let lastCountAt = 0;

  const wake = (): void => {
    wakeRequested = true;
    wakeSleep?.();
  };

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (wakeRequested || stopped) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeSleep = undefined;
        resolve();
      }
      wakeSleep = done;
    });

  const housekeeping = async (): Promise<void> => {
    const now = Date.now();
    if (now - lastPurgeAt >= purgeIntervalMs) {
      lastPurgeAt = now;
      const purged = await purgePublished(db, new Date(now - retentionMs), 10_000);
      if (purged > 0) log.debug({ purged, schema }, 'purged published outbox rows');
    }
    if (now - lastCountAt >= Math.min(pollMs, 1_000)) {
      lastCountAt = now;
      const backlog = await countBacklog(db);
      state.backlog = backlog.rows;
      metrics.outboxBacklog.set({ schema }, backlog.rows);
      metrics.outboxOldestAge.set({ schema }, backlog.oldestAgeMs / 1000);
    }
  };

  const reportDead = (dead: DeadRow[]): void => {
    for (const row of dead) {
      metrics.outboxDead.inc({ schema });
      log.error(
        { schema, seq: row.seq, eventId: row.id, subject: row.subject, reason: row.dead_reason },
        'outbox row refused for good by the broker; moved to event_outbox_dead',
      );
    }
  };

  const loop = async (): Promise<void> => {
    schema = await currentSchema(db).catch(() => schema);
    if (options.databaseUrl) listener = listenForOutboxInserts(options.databaseUrl, schema, wake, log);
    let lastRoundAt = 0;
    while (!stopped) {
      const early = lastRoundAt + minRoundIntervalMs - Date.now();
      if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
      lastRoundAt = Date.now();
      wakeRequested = false;
      let result: RoundResult;
      try {
        result = await runRound(db, options.bus, round);
      } catch (err) {
        result = { claimed: 0, published: 0, dead: [], failure: describeError(err) };
      }
      reportDead(result.dead);
      if (result.failure) {
        state.failures += 1;
        state.lastError = result.failure;
        const delay = Math.min(backoff.min * 2 ** (state.failures - 1), backoff.max);
        if (state.failures === 1 || state.failures % 20 === 0) {
          log.warn({ schema, failures: state.failures, error: result.failure, retryInMs: delay }, 'outbox relay round failed');
        }
        await housekeeping().catch(() => undefined);
        wakeRequested = false;
        await pause(delay);
        continue;
      }
      if (state.failures > 0) log.info({ schema, after: state.failures }, 'outbox relay recovered');
      state.failures = 0;
      state.lastSuccessAt = new Date();
      await housekeeping().catch((err: unknown) => log.warn({ err, schema }, 'outbox housekeeping failed'));
      if (result.claimed < batchSize) await pause(pollMs);
    }
  };

  const running = loop().catch((err: unknown) => log.error({ err, schema }, 'outbox relay crashed'));
  return {
    wake,
    health: () => ({
      healthy: state.failures === 0,
      lastSuccessAt: state.lastSuccessAt,
      backlog: state.backlog,
      consecutiveFailures: state.failures,
      lastError: state.lastError,
    }),
    async stop() {
      stopped = true;
      wakeSleep?.();
      await running;
      await listener?.close();
    },
  };
}
