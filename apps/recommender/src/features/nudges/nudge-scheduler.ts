import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { NotifyRequestedSchema } from '@oo/contracts';
import type { Logger } from '@oo/logger';
import { startPollLoop, type PollLoop } from '@oo/service';
import type { EnqueueEvent } from '../../events/outbox';
import type { ContextFeatures } from '../context/profile-client';
import { chosenTip, decide, storeDecision, type RecommendDeps } from '../decisions/recommend.service';
import type { DecisionRecord } from '../decisions/tip-served.event';
import { currentSlot, nextCheckAt, type NudgePlan, type Slot } from './nudge-slots';
import { claimSlot, leaseDueUsers, setNextCheck, slotTaken, type DueUser } from './nudges.repository';

export interface NudgeSchedulerDeps {
  /** The same decision path as `POST /v1/tips`: policy, decision log, profile client. */
  recommend: RecommendDeps;
  enqueue: EnqueueEvent;
  log: Logger;
  tickMs: number;
  /** Users looked at per pass. */
  batch: number;
  /** How long a leased user is this instance's; a crashed instance's users return after it. */
  leaseMs: number;
  /** The hour used while profile knows no preferred hour (a new user). */
  defaultHour: number;
  /** Called once per user looked at, for metrics. */
  onRun?: (outcome: NudgeOutcome) => void;
}

/** What one look at a user came to. */
export type NudgeOutcome = 'requested' | 'nothing_to_suggest' | 'not_a_slot' | 'slot_taken';

// Profile answers -1 (no information) until the user has reacted to tips at several hours.
function preferredHour(features: ContextFeatures, fallback: number): number {
  const value = features.features.find((f) => f.name === 'preferred_hour')?.value;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 23 ? value : fallback;
}

function notifyRequested(record: DecisionRecord, channels: readonly string[], slot: Slot, now: Date) {
  const tip = chosenTip(record);
  return create(NotifyRequestedSchema, {
    decisionId: record.decisionId,
    userId: record.userId,
    channels: [...channels],
    tipId: tip.id,
    title: tip.title,
    body: tip.body,
    notAfter: timestampFromDate(slot.endsAt),
    requestedAt: timestampFromDate(now),
  });
}

/**
 * Nudges users at their moments: each pass leases the users whose check is due, reads their
 * profile features (the preferred hour among them), and in a slot of theirs outside quiet hours
 * makes a decision the way `POST /v1/tips` does — with the channel in its context — and stores
 * it with its `signals.tip.served` and a `notify.requested` in the transaction that claims the
 * slot, so a slot runs once across instances and a crash loses nothing (the lease runs out and
 * the user is looked at again).
 *
 * @example
 * const scheduler = startNudgeScheduler(deps); // await scheduler.stop()
 */
export function startNudgeScheduler(deps: NudgeSchedulerDeps): PollLoop {
  const { db, clock, profile } = deps.recommend;

  async function look(user: DueUser): Promise<NudgeOutcome> {
    const now = clock();
    const features = await profile.features(user.user_id);
    const plan: NudgePlan = {
      timezone: user.timezone,
      cadence: user.cadence,
      quietHoursStart: user.quiet_hours_start,
      quietHoursEnd: user.quiet_hours_end,
      preferredHour: preferredHour(features, deps.defaultHour),
    };
    const outcome = await nudgeIfSlot(user, plan, features, now);
    await setNextCheck(db, user, nextCheckAt(now, plan));
    return outcome;
  }

  async function nudgeIfSlot(user: DueUser, plan: NudgePlan, features: ContextFeatures, now: Date): Promise<NudgeOutcome> {
    const slot = currentSlot(now, plan);
    if (!slot) return 'not_a_slot';
    // Cheap first: a decision costs a score. The claim below is what guarantees one run.
    if (await slotTaken(db, user.user_id, slot.key)) return 'slot_taken';
    const record = await decide(deps.recommend, user.user_id, { channel: user.channels[0] ?? 'push', features });
    return db.transaction().execute(async (trx) => {
      if (!(await claimSlot(trx, user.user_id, slot.key, record?.decisionId ?? null, now))) return 'slot_taken';
      if (!record) return 'nothing_to_suggest';
      await storeDecision(deps.recommend, trx, record);
      await deps.enqueue(trx, 'notify.requested', notifyRequested(record, user.channels, slot, now), { userId: user.user_id, time: now });
      return 'requested';
    });
  }

  return startPollLoop({
    what: 'look for users due a nudge',
    intervalMs: deps.tickMs,
    log: deps.log,
    pass: async () => {
      const due = await leaseDueUsers(db, clock(), deps.batch, deps.leaseMs);
      await Promise.all(
        due.map((user) =>
          look(user)
            .then((outcome) => deps.onRun?.(outcome))
            .catch((err: unknown) => deps.log.error({ err, userId: user.user_id }, 'a nudge check failed; the user is looked at again when the lease runs out')),
        ),
      );
      return due.length === deps.batch;
    },
  });
}
