import type { Kysely } from 'kysely';
import { describeError } from './errors';
import type { EventBus } from './event-bus.types';
import type { EventsDatabase } from './events.tables';
import { permanentPublishFailure } from './outbox-publish-failure';
import { claimBatch, settleRound, type DeadRow, type OutboxRow, type RoundOutcome } from './outbox-relay.repository';

export interface RoundSettings {
  batchSize: number;
  leaseMs: number;
  owner: string;
}

export interface RoundResult {
  claimed: number;
  published: number;
  dead: DeadRow[];
  /** The first transient failure; the relay backs off. */
  failure?: string;
}

function groupRows(rows: OutboxRow[]): OutboxRow[][] {
  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) groups.set(row.group, [...(groups.get(row.group) ?? []), row]);
  return [...groups.values()];
}

async function publishGroup(bus: EventBus, rows: OutboxRow[], outcome: RoundOutcome, leaseEndsAt: number): Promise<void> {
  for (const row of rows) {
    // Past the lease another relay may have taken the group over; leave the rest to it.
    if (Date.now() >= leaseEndsAt) return;
    try {
      await bus.publish({ subject: row.subject, headers: row.headers, data: row.payload, msgId: row.id });
      outcome.published.push(row.seq);
    } catch (err) {
      const permanent = permanentPublishFailure(err);
      if (permanent) {
        // The broker will never take it: it goes aside and the user's next rows go on.
        outcome.dead.push({ seq: row.seq, reason: `${permanent}: ${describeError(err)}` });
        continue;
      }
      // Stop this user's rows here: a later one must not overtake the one that failed.
      outcome.failed.push({ seq: row.seq, error: describeError(err) });
      return;
    }
  }
}

/**
 * One relay round in three steps, none holding a transaction across the broker: lease a batch
 * (commit), publish each group in order with the groups concurrently, then settle (commit). A
 * crash in between leaves leased rows that another relay takes over when the lease runs out; what
 * was already sent is then republished and dropped by the broker (`Nats-Msg-Id` = `ce-id`).
 */
export async function runRound(db: Kysely<EventsDatabase>, bus: EventBus, settings: RoundSettings): Promise<RoundResult> {
  // Measured before the claim, so the local deadline never outlives the lease the database holds.
  const leaseEndsAt = Date.now() + settings.leaseMs;
  const rows = await claimBatch(db, { limit: settings.batchSize, leaseMs: settings.leaseMs, owner: settings.owner });
  if (rows.length === 0) return { claimed: 0, published: 0, dead: [] };
  const outcome: RoundOutcome = { claimed: rows.map((r) => r.seq), published: [], failed: [], dead: [] };
  await Promise.all(groupRows(rows).map((group) => publishGroup(bus, group, outcome, leaseEndsAt)));
  const dead = await settleRound(db, settings.owner, outcome);
  return { claimed: rows.length, published: outcome.published.length, dead, failure: outcome.failed[0]?.error };
}
