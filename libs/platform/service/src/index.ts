// Public API of @oo/service, the service kit: declare a service, run it (main.ts), or start it in
// a test or beside others in one process.
export {
  defineService,
  defineStatelessService,
  isStatelessService,
  type AnyServiceDescriptor,
  type StatelessKit,
  type StatelessKitConfig,
  type StatelessServiceDescriptor,
  type ContextOf,
  type Enqueue,
  type EnqueueWith,
  type Kit,
  type KitConfig,
  type ServiceDescriptor,
  type StopStep,
  type Subscription,
  type SubscriptionHandler,
} from './service-descriptor';
export { startService, type RunningService, type StartServiceOptions } from './start-service';
export { runService } from './run-service';
export { checkSubscriptions, findNatsDefinitions } from './subscription-table';
export { defineServiceErrors, ServiceError, ServiceKitError, type ServiceErrorClass } from './service-error';
export { answerExportRequest, EXPORT_PART_SUBJECT, type ExportAnswerKit } from './user-export-answer';
export { startPollLoop, type PollLoop, type PollLoopOptions } from './poll-loop';
export { startErasedUserPruning, type ErasedUserPruning } from './erased-user-pruning';
export {
  createClientCredentialsSource,
  serviceTokenSourceFromConfig,
  ServiceTokenError,
  type ClientCredentialsOptions,
  type ServiceTokenConfig,
  type ServiceTokenSource,
} from './service-token';
export { startRevocationFanOut, REVOKED_SUBJECT, type RevocationFanOut, type RevocationFanOutOptions, type RevokedEvent, type RevokedListener } from './revocation-fan-out';
