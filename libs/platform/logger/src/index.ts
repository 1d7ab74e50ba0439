export { createLogger, withContext, type Logger, type LoggerOptions, type LogContext } from './create-logger';
export { REDACTED, isSecretKey, redactString } from './redact-secrets';
