// Public API of @oo/ml-pipelines: the off-policy evaluation and the simulation as functions, so
// tests and notebooks-in-TypeScript can run them in-process; `npm run ope` / `npm run simulate`
// are thin command lines over the same calls.
export { UsageError, parseDuration, parseRewards, parseSince } from './cli/cli-args';
export { joinDecisionLog, servedSince, type DecisionLog, type LoggedTip } from '@oo/off-policy';
export {
  DecisionLogFileError,
  formatDecisionLine,
  parseDecisionLine,
  readDecisionLogFile,
  writeDecisionLogFile,
} from './decision-log/decision-log-jsonl';
export { settleDecisions, type SettledDecision, type Settlement, type SettleOptions } from '@oo/off-policy';
export { readDecisionLogFromStream, StreamReadError, type StreamSource } from './decision-log/stream-reader';
export { contextInput, evaluateDecisions, isUsable, modelVectors, type PolicyRole, type PolicyRow } from '@oo/off-policy';
export { formatOpeReport } from './ope/ope-report';
export { parseOpeArgs, type OpeArgs } from './ope/ope-args';
export {
  DEFAULT_REWARD_WINDOW_MS,
  evaluateDecisionLog,
  loadDecisionLog,
  runExport,
  runOpe,
  type DecisionSource,
  type OpeOptions,
  type OpeReport,
} from './ope/run-ope';
export { CATEGORIES, createHiddenWorld, DEFAULT_SHARES, type Category, type HiddenWorld, type WorldCandidate, type WorldMoment } from './simulate/hidden-world';
export { learningCurve, summarize, type DecisionRecord, type WindowStats } from './simulate/learning-curve';
export { runSimulation, type SimulationDeps, type SimulationOptions, type SimulationReport } from './simulate/run-simulation';
export { createServiceClient, ServiceCallError, type Recommendation, type ServiceClient } from './simulate/service-client';
export { createGatewayRefresh, type GatewayRefreshOptions } from './simulate/gateway-refresh';
export {
  adviceApplies,
  adviceCandidate,
  createPopulation,
  SIM_TIMEZONES,
  taskCandidate,
  type AdviceItem,
  type SimPerson,
  type SimTask,
  type SimUser,
} from './simulate/sim-population';
export { parseSimulateArgs, type SimulateArgs } from './simulate/simulate-args';
export { formatSimulationReport } from './simulate/simulation-report';
export { connectRecommenderSync, type RecommenderSync, type RecommenderSyncOptions, type SyncState } from './simulate/recommender-sync';
export {
  keepSession,
  keepSessions,
  SessionError,
  type KeepSessionOptions,
  type KeptSession,
  type RefreshFn,
  type SignInFn,
  type UserSession,
} from './simulate/user-sessions';
export { createProgressBar, type ProgressBar, type ProgressBarOptions } from './cli/progress-bar';
export { DECISION_EXPORT_COLUMNS, decisionParquetSchema, type ColumnType, type ExportColumn } from './export/decision-export-columns';
export { DECISION_EXPORT_SCHEMA, jsonRecord, writeDecisionJsonl, writeDecisionParquet, type ExportFormat, type ExportMetadata } from './export/decision-export-writers';
export { decisionRow, type ContextFeatureRow, type DecisionRow, type DecisionRowOptions, type ShadowScoresRow } from './export/decision-row';
export { runDecisionExport, type DecisionExportOptions, type DecisionExportSummary } from './export/run-decision-export';
export { eventLine, schemaForType, type EventLine } from './stream/event-json';
export { parseStreamArgs, STREAM_USAGE, type StreamCommand } from './stream/stream-args';
export { replayEvents, tailEvents, type EventSink, type ReplayOptions, type StreamConnection, type TailOptions } from './stream/stream-events';
