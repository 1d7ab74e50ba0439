import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { RewardValues } from '@oo/bandit';
import { PolicyPromotedSchema, type PolicyPromoted } from '@oo/contracts';
import type { Kysely, Transaction } from '@oo/db';
import { evaluateDecisionLog, type OpeReport } from '@oo/off-policy';
import type { PolicyAssignment } from '@oo/model-state';
import type { MlDatabase } from '../../db/database';
import { MlServingError } from '../../errors';
import type { DecisionLogReader } from './decision-log.reader';
import { decidePromotion, type PromotionVerdict } from './promotion-rule';
import { insertPromotion, latestPromotion, lockSwitches, promotionById, type PromotionRow } from './promotion.repository';

type EnqueuePromoted = (trx: Transaction<MlDatabase>, subject: 'ml.policy.promoted', message: PolicyPromoted, options?: { sequenced?: boolean }) => Promise<unknown>;

export interface PromotionDeps {
  readonly db: Kysely<MlDatabase>;
  readonly schema: string;
  readonly readLog: DecisionLogReader;
  readonly enqueue: EnqueuePromoted;
  readonly clock: () => Date;
  readonly known: (policy: string) => boolean;
  readonly minDecisions: number;
  readonly resamples: number;
  readonly rewardWindowMs: number;
  readonly rewards: RewardValues;
}

/** An evaluation of every shadow against the live policy, and what the rule made of it. */
export interface PromotionEvaluation {
  /** Decisions served at or after this time were used: the later of the asked time and the last switch. */
  readonly since: Date;
  /** The switch in force when evaluated; a promotion only applies if it still is. */
  readonly basedOn: string | null;
  readonly decisions: OpeReport['decisions'];
  readonly verdict: PromotionVerdict;
}

/**
 * Evaluates every shadow against the live policy on the decision log since `since`, with the same
 * estimators as `npm run ope`. Decisions from before the last switch are left out: another policy
 * was live then, so they say nothing about the current one.
 *
 * @example
 * const evaluation = await evaluatePromotion(deps, new Date(Date.now() - 7 * 86_400_000));
 */
export async function evaluatePromotion(deps: PromotionDeps, since: Date): Promise<PromotionEvaluation> {
  const current = await latestPromotion(deps.db);
  const from = current && current.promoted_at > since ? current.promoted_at : since;
  const log = await deps.readLog(from);
  const report = evaluateDecisionLog(log, { since: from, now: deps.clock(), rewardWindowMs: deps.rewardWindowMs, rewards: deps.rewards, resamples: deps.resamples, seed: 0 });
  const verdict = decidePromotion(report, { minDecisions: deps.minDecisions, known: deps.known });
  return { since: from, basedOn: current?.promotion_id ?? null, decisions: report.decisions, verdict };
}

/**
 * Switches to the shadow an evaluation chose, recording the evidence, in one transaction with its
 * `ml.policy.promoted`. Refuses (409) when another switch happened since the evaluation, and
 * when `guard` (the automatic step's window rule) objects inside the lock.
 *
 * @example
 * const row = await applyPromotion(deps, evaluation, 'admin:u-7');
 */
export async function applyPromotion(deps: PromotionDeps, evaluation: PromotionEvaluation, actor: string, guard?: (latest: PromotionRow | undefined) => string | null): Promise<PromotionRow> {
  const { verdict } = evaluation;
  if (!verdict.promote || !verdict.live) throw new MlServingError('ML_PROMOTION_CONFLICT', 'the evaluation promotes no shadow');
  const promoted = verdict.promote;
  const previous = verdict.live;
  return deps.db.transaction().execute(async (trx) => {
    await lockSwitches(trx, deps.schema);
    const latest = await latestPromotion(trx);
    if ((latest?.promotion_id ?? null) !== evaluation.basedOn) {
      throw new MlServingError('ML_PROMOTION_CONFLICT', `another switch (${latest?.promotion_id ?? 'none'}) happened after this evaluation; evaluate again`);
    }
    const objection = guard?.(latest);
    if (objection) throw new MlServingError('ML_PROMOTION_CONFLICT', objection);
    const shadows = [previous, ...verdict.shadows.filter((s) => s !== promoted && s !== previous)];
    const evidence = { since: evaluation.since.toISOString(), rule: verdict.rule, decisions: evaluation.decisions, estimates: verdict.estimates, reasons: verdict.reasons };
    return record(deps, trx, { live: promoted, previous, shadows, actor, reverts: null, evidence, since: evaluation.since });
  });
}

/**
 * Undoes the switch in force: its previous live policy is live again, with the same shadows.
 * Only the newest switch can be reverted (404 unknown, 409 not the newest).
 *
 * @example
 * await revertPromotion(deps, row.promotion_id, 'admin:u-7');
 */
export async function revertPromotion(deps: PromotionDeps, promotionId: string, actor: string): Promise<PromotionRow> {
  return deps.db.transaction().execute(async (trx) => {
    await lockSwitches(trx, deps.schema);
    const target = await promotionById(trx, promotionId);
    if (!target) throw new MlServingError('ML_PROMOTION_NOT_FOUND', `no switch ${promotionId}`);
    const latest = await latestPromotion(trx);
    if (latest?.promotion_id !== promotionId) throw new MlServingError('ML_PROMOTION_CONFLICT', `only the switch in force (${latest?.promotion_id}) can be reverted`);
    const shadows = [target.live_policy, ...target.shadow_policies.filter((s) => s !== target.previous_live_policy && s !== target.live_policy)];
    return record(deps, trx, { live: target.previous_live_policy, previous: target.live_policy, shadows, actor, reverts: promotionId, evidence: null });
  });
}

/** The assignment replicas apply, once any switch happened. */
export async function currentAssignment(db: Kysely<MlDatabase>): Promise<PolicyAssignment | undefined> {
  const latest = await latestPromotion(db);
  return latest ? { live: latest.live_policy, shadows: [...latest.shadow_policies], promotionId: latest.promotion_id } : undefined;
}

interface SwitchRecord {
  live: string;
  previous: string;
  shadows: string[];
  actor: string;
  reverts: string | null;
  evidence: (Record<string, unknown> & { estimates: PromotionVerdict['estimates']; rule: string }) | null;
  since?: Date;
}

async function record(deps: PromotionDeps, trx: Transaction<MlDatabase>, s: SwitchRecord): Promise<PromotionRow> {
  const promotionId = randomUUID();
  const promotedAt = deps.clock();
  await insertPromotion(trx, { promotion_id: promotionId, live_policy: s.live, previous_live_policy: s.previous, shadow_policies: s.shadows, actor: s.actor, reverts_promotion_id: s.reverts, evidence: s.evidence, promoted_at: promotedAt });
  const message = create(PolicyPromotedSchema, {
    promotionId,
    livePolicy: s.live,
    previousLivePolicy: s.previous,
    shadowPolicies: s.shadows,
    promotedAt: timestampFromDate(promotedAt),
    actor: s.actor,
    revertsPromotionId: s.reverts ?? '',
    evidenceSince: s.since ? timestampFromDate(s.since) : undefined,
    rule: s.evidence?.rule ?? '',
    estimates: (s.evidence?.estimates ?? []).map((e) => ({ ...e, snips: { ...e.snips }, dr: { ...e.dr } })),
  });
  await deps.enqueue(trx, 'ml.policy.promoted', message, { sequenced: false });
  const row = await promotionById(trx, promotionId);
  if (!row) throw new MlServingError('ML_PROMOTION_NOT_FOUND', `switch ${promotionId} vanished inside its own transaction`);
  return row;
}
