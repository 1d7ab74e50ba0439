// Public API of @oo/off-policy: the decision log (served + feedback joined), its settlement into
// rewards, and the off-policy evaluation of every logged policy. Pure: no I/O, so the offline
// tools (ml/pipelines) and ml-serving's promotion step share one definition of "the estimate".
export { joinDecisionLog, servedSince, servedTime, type DecisionLog, type LoggedTip } from './decision-log';
export { settleDecisions, type SettledDecision, type Settlement, type SettleOptions } from './reward-join';
export {
  contextInput,
  evaluateDecisions,
  isUsable,
  modelVectors,
  type EvaluateOptions,
  type PolicyRole,
  type PolicyRow,
  type ProgressFn,
} from './policy-evaluation';
export { DEFAULT_REWARD_WINDOW_MS, evaluateDecisionLog, type EvaluateLogOptions, type OpeReport } from './evaluate-decision-log';
