export { BanditError, type BanditErrorCode } from './errors/bandit-error';

export { SeededRng, createRng, hashSeed, hashString, type RngState, type Seed } from './random/seeded-rng';

export { psdCholesky, shermanMorrison, type PsdFactor, type Vector } from './linalg/dense-kernels';
export { invertSpd } from './linalg/spd-inverse';

export { createLayout, layoutVersion, sameLayout, type FeatureLayout } from './features/feature-layout';
export { createFeatureBuilder, toVector, type FeatureBuilder, type FeatureSpec } from './features/feature-builder';

export {
  DEFAULT_MODEL_CONFIG,
  createModel,
  forgetUser,
  modelVersion,
  personalIndexFor,
  updateModel,
  userStatsFor,
  type BanditModel,
  type ModelConfig,
  type Observation,
  type PersonalFeatures,
} from './model/bandit-model';
export { createUserStats, type UserStats } from './model/user-stats';
export { createRidgeStats, refreshInverse, ridgeMean, updateRidgeStats, type RidgeStats } from './model/ridge-stats';
export { globalTheta, predict, userDeviation, type Prediction } from './model/model-prediction';
export {
  fromSnapshot,
  ridgeFromSnapshot,
  ridgeToSnapshot,
  toSnapshot,
  userFromSnapshot,
  userToSnapshot,
  type ModelSnapshot,
  type RidgeSnapshot,
  type UserSnapshot,
} from './model/model-snapshot';
export { alignVector, migrateModel, type MigrationOptions, type MigrationReport } from './model/model-migration';

export {
  POLICY_DEFAULTS,
  type PolicyKind,
  type PolicyResult,
  type PolicySpec,
  type ScoreRequest,
} from './policies/policy-types';
export { greedyProbabilities, mixUniform, uniformProbabilities } from './policies/probability-rules';
export { thompsonWinRates } from './policies/thompson-sampling';
export { scorePolicies, scorePolicy } from './policies/policy-scoring';
export { chooseIndex } from './policies/choose-index';

export {
  evaluatePolicy,
  type Estimate,
  type EvaluationOptions,
  type LoggedDecision,
  type PolicyEvaluation,
} from './evaluation/off-policy-estimators';
export { crossFittedRewards, type RewardModelOptions } from './evaluation/reward-model';
export { percentileInterval } from './evaluation/bootstrap-interval';

export {
  DEFAULT_REWARDS,
  DEFAULT_SIMULATOR_CONFIG,
  type Reaction,
  type RewardValues,
  type SimCandidate,
  type SimDecision,
  type SimOutcome,
  type SimulatorConfig,
} from './simulator/simulation-types';
export { CANDIDATE_FEATURES, CONTEXT_FEATURES, KINDS, TIMES_OF_DAY } from './simulator/user-population';
export { DecisionSimulator } from './simulator/decision-simulator';
export { simulatorFeaturizer } from './simulator/simulator-featurizer';
export {
  SimulationSession,
  type DecisionRecord,
  type Featurize,
  type RunOptions,
  type SettleOptions,
  type SimulationRun,
  type WindowStats,
} from './simulator/simulation-session';
