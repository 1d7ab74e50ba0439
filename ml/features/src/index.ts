export {
  ADVICE_KINDS,
  CANDIDATE_FEATURES,
  KNOWN_SOURCES,
  adviceFeatures,
  isAdviceKind,
  taskFeatures,
  type AdviceKind,
  type TaskFacts,
} from './candidate-features';
export {
  CONTEXT_FEATURES,
  TIMES_OF_DAY,
  contextVector,
  isTimezone,
  localTime,
  timeOfDay,
  type ContextFeatureInput,
  type ContextFeatureStatus,
  type DecisionContextInput,
} from './context-features';
export { DECISION_INTERACTIONS, createDecisionFeaturizer, type DecisionFeaturizer } from './decision-layout';
export {
  SCORE_LIMITS,
  contextFeatureSchema,
  decisionContextSchema,
  policyScoresSchema,
  scoreRequestSchema,
  scoreResponseSchema,
  type ParsedScoreRequest,
  type PolicyScores,
  type ScoreRequest,
  type ScoreResponse,
} from './score-api';
