export { createBaseApp, finishApp, type BaseAppOptions } from './base-app';
export {
  requestContextMiddleware,
  requestContext,
  findRequestContext,
  requestLog,
  REQUEST_ID_HEADER,
  type RequestContext,
} from './request-context.middleware';
export { logQuietly, requestLogger } from './request-logger.middleware';
export { parseTraceparent, formatTraceparent, newTraceId, newSpanId, type TraceParent } from './traceparent';
export { routeTemplate } from './route-template';
export {
  HttpProblem,
  badRequest,
  unauthorized,
  forbidden,
  notFound,
  conflict,
  defaultCodeFor,
  type ProblemDocument,
  type ProblemOptions,
} from './http-problem';
export { validate, validateBody, type FieldError, type InputLocation } from './validate';
export { encodeCursor, pageRequest, toPage, PAGE_LIMITS, type Page, type PageRequest } from './pagination';
export { errorHandler, notFoundHandler, toProblem, PROBLEM_CONTENT_TYPE } from './error-handler';
export {
  Readiness,
  type CheckOutcome,
  type ReadinessCheck,
  type ReadinessCheckOptions,
  type ReadinessOptions,
  type ReadinessReport,
} from './readiness';
export { healthRouter } from './health.router';
export { createMetrics, type HttpMetrics, type MetricsOptions, type HttpDurationLabels } from './metrics';
export {
  createJwtVerifier,
  AuthError,
  OO_AUDIENCE,
  type AuthErrorCode,
  type JwtVerifier,
  type JwtVerifierOptions,
  type Principal,
  type TokenVerifier,
} from './jwt-verifier';
export { createJwksKeySource, KeysUnavailableError, type JwksKeySource, type JwksKeySourceOptions, type KeySourceHealth, type KeySourceLogger } from './jwks-key-source';
export { RevocationList, type Revocation } from './revocation-list';
export { requireAuth, requireSelfOrAdmin, requireServiceOrAdmin, requireAdmin, principal, type SelfOrAdminOptions } from './auth.middleware';
export { onShutdown, type ShutdownStep, type ShutdownOptions, type ShutdownHandle, type SignalSource } from './shutdown';
export { listen, serverPort, closeServer, type CloseServerOptions } from './server';
