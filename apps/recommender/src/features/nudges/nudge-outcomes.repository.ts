import { sql, type Kysely } from '@oo/db';
import type { RecommenderDatabase } from '../../db/database';

/** What nudges on one channel came to since a moment: requested, delivered, and the reactions to them. */
export interface ChannelOutcome {
  /** The channel it was delivered on, or for an undelivered nudge the one asked for first. */
  channel: string;
  nudges: number;
  delivered: number;
  failed: number;
  done: number;
  snoozed: number;
  dismissed: number;
  /** Delivered nudges that led to `done`, as a share of those delivered; null before any delivery. */
  doneRate: number | null;
}

/**
 * Per channel, the nudges since `since` and how often each led to "done", read from the decision
 * log (the notifier's reports are projected onto it). In-app decisions are not nudges.
 *
 * @example
 * const outcomes = await nudgeOutcomes(db, new Date(Date.now() - 7 * 86_400_000));
 */
export async function nudgeOutcomes(db: Kysely<RecommenderDatabase>, since: Date): Promise<ChannelOutcome[]> {
  const { rows } = await sql<{ channel: string; nudges: string; delivered: string; failed: string; done: string; snoozed: string; dismissed: string }>`
    select coalesce(d.delivery_channel, d.channel) as channel,
      count(*) as nudges,
      count(*) filter (where d.delivery_status = 'delivered') as delivered,
      count(*) filter (where d.delivery_status = 'failed') as failed,
      count(*) filter (where d.delivery_status = 'delivered' and f.reaction = 'done') as done,
      count(*) filter (where d.delivery_status = 'delivered' and f.reaction = 'snooze') as snoozed,
      count(*) filter (where d.delivery_status = 'delivered' and f.reaction = 'dismiss') as dismissed
    from decisions d left join tip_feedback f on f.decision_id = d.decision_id
    where d.channel <> 'in_app' and d.served_at >= ${since}
    group by 1 order by 1`.execute(db);
  return rows.map((r) => {
    const delivered = Number(r.delivered);
    const done = Number(r.done);
    return {
      channel: r.channel,
      nudges: Number(r.nudges),
      delivered,
      failed: Number(r.failed),
      done,
      snoozed: Number(r.snoozed),
      dismissed: Number(r.dismissed),
      doneRate: delivered > 0 ? done / delivered : null,
    };
  });
}
