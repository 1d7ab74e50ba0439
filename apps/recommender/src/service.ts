import { Counter, Gauge } from 'prom-client';
import { subjects } from '@oo/contracts';
import { createDecisionFeaturizer } from '@oo/decision-features';
import { answerExportRequest, defineService, type Kit } from '@oo/service';
import { createRoutes } from './app';
import { recommenderConfigSchema, type RecommenderConfig } from './config';
import type { RecommenderDatabase } from './db/database';
import { recommenderMigrations } from './db/migrations';
import { projectNotificationDelivered, projectNotificationFailed } from './events/consumers/notification-outcome.consumer';
import { projectPreferencesUpdated } from './events/consumers/preferences-updated.consumer';
import { projectTaskDeleted } from './events/consumers/task-deleted.consumer';
import { projectTaskUpserted } from './events/consumers/task-upserted.consumer';
import { RECOMMENDER_EXPORT } from './features/export/recommender-export';
import { userDeletionHandler } from './events/consumers/user-deletion.consumer';
import { defaultAdviceLibrary } from './features/advice/advice-library';
import { createProfileClient } from './features/context/profile-client';
import type { RecommendDeps } from './features/decisions/recommend.service';
import { startNudgeScheduler } from './features/nudges/nudge-scheduler';
import { startRetentionPruning } from './features/retention/retention-pruning';
import { createMlClient, type Scorer } from './features/scoring/ml-client';
import { ModelReplica } from './features/scoring/model-replica';
import { replicaSource } from './features/scoring/replica-source';
import { replicaFirst } from './features/scoring/replica-scorer';
import { createUpstreamUnauthorized } from './features/upstream/upstream-unauthorized';

/** The recommender's own parts, built from the kit at start-up. */
async function setupRecommender(kit: Kit<RecommenderConfig, RecommenderDatabase, typeof subjects>) {
  const { config, log } = kit;
  const unauthorized = createUpstreamUnauthorized(log, kit.registry);
  const advice = defaultAdviceLibrary();
  const decisions = new Counter({
    name: 'oo_recommender_decisions_total',
    help: 'Decisions served, by the policy that chose and the fallback reason (none when ml-serving chose)',
    labelNames: ['policy', 'fallback_reason'],
    registers: [kit.registry],
  });
  const profile = createProfileClient({
    baseUrl: config.PROFILE_URL,
    serviceToken: kit.serviceToken,
    unauthorized,
    timeoutMs: config.PROFILE_TIMEOUT_MS,
    registryRefreshMs: config.REGISTRY_REFRESH_MS,
    log,
  });
  // Not awaited: profile may come up after us, and neutral fallbacks serve until it does.
  void profile.refreshRegistry();
  const remote = createMlClient({ baseUrl: config.ML_SERVING_URL, serviceToken: kit.serviceToken, unauthorized, timeoutMs: config.ML_TIMEOUT_MS, log });
  const { replica, scorer } = modelReplica(kit, remote);
  const recommend: RecommendDeps = {
    db: kit.db,
    clock: kit.clock,
    advice,
    profile,
    scorer,
    enqueueWith: kit.enqueueWith,
    policies: { live: config.LIVE_POLICY, shadows: config.SHADOW_POLICIES },
    assignment: replica ? () => replica.assignment() : undefined,
    maxTaskCandidates: config.MAX_TASK_CANDIDATES,
    localEpsilon: config.LOCAL_POLICY_EPSILON,
    onDecision: (choice) => decisions.inc({ policy: choice.policy, fallback_reason: choice.fallbackReason ?? 'none' }),
  };
  const retention = startRetentionPruning({ db: kit.db, log, clock: kit.clock, retentionDays: config.DECISION_RETENTION_DAYS });
  return { advice, profile, scorer, replica, recommend, retention, nudges: nudgeScheduler(kit, recommend) };
}

function nudgeScheduler(kit: Kit<RecommenderConfig, RecommenderDatabase, typeof subjects>, recommend: RecommendDeps) {
  const { config } = kit;
  if (config.NUDGES === 'off') return undefined;
  const looked = new Counter({ name: 'oo_recommender_nudge_checks_total', help: 'Users the nudge scheduler looked at, by what came of it', labelNames: ['outcome'], registers: [kit.registry] });
  return startNudgeScheduler({
    recommend,
    enqueue: kit.enqueue,
    log: kit.log,
    tickMs: config.NUDGE_TICK_MS,
    batch: config.NUDGE_BATCH,
    leaseMs: config.NUDGE_LEASE_MS,
    defaultHour: config.NUDGE_DEFAULT_HOUR,
    onRun: (outcome) => looked.inc({ outcome }),
  });
}

// The replica scores in process when it can vouch for the answer; ml-serving is asked otherwise.
function modelReplica(kit: Kit<RecommenderConfig, RecommenderDatabase, typeof subjects>, remote: Scorer) {
  const { config, log, registry } = kit;
  if (config.MODEL_REPLICA === 'off') return { replica: undefined, scorer: remote };
  const scored = new Counter({ name: 'oo_recommender_scored_total', help: 'Decisions scored, by where: the in-process replica or a call to ml-serving', labelNames: ['by'], registers: [registry] });
  const version = new Gauge({ name: 'oo_recommender_model_replica_version', help: 'The observation log position the model replica holds', registers: [registry] });
  const replica = new ModelReplica({
    source: replicaSource(config.ML_SERVING_URL, kit.serviceToken),
    featurizer: createDecisionFeaturizer(),
    log,
    maxUsers: config.MODEL_REPLICA_MAX_USERS,
    waitMs: config.MODEL_REPLICA_WAIT_MS,
    maxLagMs: config.MODEL_REPLICA_MAX_LAG_MS,
    onVersion: (v) => version.set(v),
  });
  replica.start();
  return { replica, scorer: replicaFirst(replica, remote, (by) => scored.inc({ by })) };
}

/** What the recommender's routes and handlers receive. */
export type RecommenderContext = Kit<RecommenderConfig, RecommenderDatabase, typeof subjects> & Awaited<ReturnType<typeof setupRecommender>>;

/**
 * The recommender: candidates from its own read model of tasks plus the advice library, context
 * from profile, scores from a replica of ml-serving's model or from ml-serving (a local policy when both cannot), one decision
 * logged per tip; and the nudge scheduler, which makes the same decisions at each user's moments and asks the notifier to deliver them.
 */
export const recommender = defineService<RecommenderDatabase>()({
  name: 'recommender',
  config: recommenderConfigSchema,
  migrations: recommenderMigrations,
  subjects,
  // The only bodies this API takes are a reaction; anything near this size is not one.
  jsonLimit: '4kb',
  setup: setupRecommender,
  routes: (ctx) => createRoutes(ctx),
  subscriptions: [
    { durable: 'recommender__task_upserted', subject: 'signals.task.upserted', handler: (trx, e) => projectTaskUpserted(trx, e.message, e.time) },
    { durable: 'recommender__task_deleted', subject: 'signals.task.deleted', handler: (trx, e) => projectTaskDeleted(trx, e.message, e.time) },
    { durable: 'recommender__preferences_updated', subject: 'profile.preferences.updated', handler: (trx, e) => projectPreferencesUpdated(trx, e.message, e.time) },
    { durable: 'recommender__notification_delivered', subject: 'signals.notification.delivered', handler: (trx, e) => projectNotificationDelivered(trx, e.message) },
    { durable: 'recommender__notification_failed', subject: 'signals.notification.failed', handler: (trx, e) => projectNotificationFailed(trx, e.message) },
    {
      durable: 'recommender__user_deletion',
      subject: 'users.deletion.requested',
      applyToErasedUsers: true,
      handler: (trx, e, ctx) => userDeletionHandler({ clock: ctx.clock, enqueue: ctx.enqueue })(trx, e.message),
    },
    { durable: 'recommender__export_requested', subject: 'exports.requested', handler: (trx, event, ctx) => answerExportRequest(trx, event.message, ctx, RECOMMENDER_EXPORT) },
  ],
  stop: [
    { name: 'stop the nudge scheduler', run: (ctx) => ctx.nudges?.stop() },
    { name: 'stop retention pruning', run: (ctx) => ctx.retention.stop() },
    { name: 'stop model replica', run: (ctx) => ctx.replica?.stop() },
    {
      name: 'close upstream connections',
      run: (ctx) => {
        ctx.profile.stop();
        ctx.scorer.close();
      },
    },
  ],
});
