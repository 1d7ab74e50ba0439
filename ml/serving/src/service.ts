import { subjects } from '@oo/contracts';
import { createDecisionFeaturizer } from '@oo/decision-features';
import { answerExportRequest, defineService, type Kit } from '@oo/service';
import { createRoutes } from './app';
import { mlServingConfigSchema, type MlServingConfig } from './config';
import type { MlDatabase } from './db/database';
import { mlServingMigrations } from './db/migrations';
import { tipFeedbackHandler } from './events/consumers/tip-feedback.consumer';
import { tipServedHandler } from './events/consumers/tip-served.consumer';
import { ML_SERVING_EXPORT } from './features/export/ml-serving-export';
import { userDeletionHandler } from './events/consumers/user-deletion.consumer';
import { LiveModel } from './features/model-state/live-model';
import { registerLayout } from './features/model-state/model-state.repository';
import { RewardJoin } from './features/reward-join/reward-join.service';
import { rewardRulesFrom } from './features/reward-join/reward-rules';
import { startRewardSweeper } from './features/reward-join/reward-sweeper';
import { startAutoPromotion } from './features/promotion/auto-promotion';
import { decisionLogReader } from './features/promotion/decision-log.reader';
import type { PromotionDeps } from './features/promotion/promotion.service';
import { createPolicyCatalog } from './features/scoring/policy-catalog';
import { createScorer } from './features/scoring/scoring.service';
import { createMlMetrics } from './metrics';

type MlKit = Kit<MlServingConfig, MlDatabase, typeof subjects>;

/**
 * ml-serving's own parts: the model (loaded in the background; not ready until it has caught up
 * with the observation log), the reward join and its sweeper, the scorer.
 */
async function setupMlServing(kit: MlKit) {
  const { config, db, log, clock } = kit;
  const featurizer = createDecisionFeaturizer();
  const metrics = createMlMetrics(kit.registry);
  const live = new LiveModel({
    db,
    layout: featurizer.builder.layout,
    log,
    metrics,
    clock,
    databaseUrl: config.DATABASE_URL,
    schema: config.DB_SCHEMA,
    freshConfig: { lambda: config.MODEL_LAMBDA, userLambda: config.MODEL_USER_LAMBDA },
    pollIntervalMs: config.MODEL_POLL_INTERVAL_MS,
    checkpointEvery: config.CHECKPOINT_EVERY,
    snapshotRetention: config.SNAPSHOT_RETENTION,
    maxUsersInMemory: config.MODEL_MAX_USERS_IN_MEMORY,
  });
  // Before any settlement: instances still on another layout read this one's vectors by name.
  await registerLayout(db, featurizer.builder.layout);
  live.start();
  const join = new RewardJoin({ featurizer, rules: rewardRulesFrom(config), log, metrics, clock });
  const sweeper = startRewardSweeper({ db, join, log, clock, intervalMs: config.REWARD_SWEEP_INTERVAL_MS, retentionMs: config.DECISION_RETENTION_MS });
  const catalog = createPolicyCatalog(config.POLICIES);
  const scorer = createScorer({ featurizer, catalog, currentModel: () => live.current(), withUser: (userId, use) => live.withUser(userId, use) });
  const promotion: PromotionDeps = {
    db,
    schema: config.DB_SCHEMA,
    readLog: decisionLogReader(kit.bus, clock),
    enqueue: kit.enqueue,
    clock,
    known: (policy) => catalog.has(policy),
    minDecisions: config.PROMOTION_MIN_DECISIONS,
    resamples: config.PROMOTION_RESAMPLES,
    rewardWindowMs: config.REWARD_WINDOW_MS,
    rewards: rewardRulesFrom(config).rewards,
  };
  const autoPromotion =
    config.PROMOTION_AUTO === 'on'
      ? startAutoPromotion(promotion, { intervalMs: config.PROMOTION_AUTO_INTERVAL_MS, windowMs: config.PROMOTION_WINDOW_MS, maxFallbackShare: config.PROMOTION_MAX_FALLBACK_SHARE, log })
      : undefined;
  return { metrics, live, join, sweeper, scorer, catalog, promotion, autoPromotion };
}

/** What ml-serving's routes and handlers receive. */
export type MlServingContext = MlKit & Awaited<ReturnType<typeof setupMlServing>>;

/** ml-serving: scores candidates under the live and shadow policies, and learns from the reward join. */
export const mlServing = defineService<MlDatabase>()({
  name: 'ml-serving',
  config: mlServingConfigSchema,
  migrations: mlServingMigrations,
  subjects,
  // 100 candidates × 64 features is the largest valid request; it fits well inside this.
  jsonLimit: '512kb',
  setup: setupMlServing,
  routes: (ctx) => createRoutes(ctx),
  subscriptions: [
    { durable: 'ml-serving__tip_served', subject: 'signals.tip.served', handler: (trx, e, ctx) => tipServedHandler(ctx.join)(trx, e.message) },
    { durable: 'ml-serving__tip_feedback', subject: 'signals.tip.feedback', handler: (trx, e, ctx) => tipFeedbackHandler(ctx.join)(trx, e.message) },
    {
      durable: 'ml-serving__user_deletion',
      subject: 'users.deletion.requested',
      applyToErasedUsers: true,
      handler: (trx, e, ctx) => userDeletionHandler(ctx.clock, ctx.enqueue)(trx, e.message),
    },
    { durable: 'ml-serving__export_requested', subject: 'exports.requested', handler: (trx, event, ctx) => answerExportRequest(trx, event.message, ctx, ML_SERVING_EXPORT) },
  ],
  readiness: { model: (ctx) => ctx.live.isReady() },
  stop: [
    { name: 'stop sweeper', run: (ctx) => ctx.sweeper.stop() },
    { name: 'stop automatic promotion', run: async (ctx) => ctx.autoPromotion?.stop() },
    { name: 'stop model', run: (ctx) => ctx.live.stop() },
  ],
});
