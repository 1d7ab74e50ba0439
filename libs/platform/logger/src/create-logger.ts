import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type LevelWithSilent, type LogFn, type Logger as PinoLogger } from 'pino';
import { REDACTED, redactSecrets, redactString } from './redact-secrets';

/** The logger every oO process uses: pino, JSON lines on stdout. */
export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Service name, added to every line as `service`. */
  service: string;
  /** Build version, added to every line as `version`. */
  version?: string;
  level?: LevelWithSilent;
  /** Where lines go; stdout unless given (tests pass a stream to read them back). */
  destination?: DestinationStream;
  /** Extra redaction paths for this service, in pino's path syntax (each costs time per line). */
  redact?: readonly string[];
}

/**
 * Creates the process's root logger: JSON lines with `service`, `version`, an ISO `time` and the
 * level as a word; credentials (passwords, tokens, secrets, API keys, authorization and cookie
 * headers, and URL passwords, secret query parameters, bearer tokens and JWTs inside any string,
 * the message included) are replaced by `[REDACTED]`.
 *
 * @example
 * const log = createLogger({ service: 'profile', version: config.SERVICE_VERSION, level: config.LOG_LEVEL });
 * log.info({ userId }, 'profile read');
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: options.service, version: options.version ?? '0.0.0-dev' },
    timestamp: stdTimeFunctions.isoTime,
    // Errors are serialized after the log formatter runs, so their own properties (say, a failed
    // request's headers) are redacted here.
    serializers: { err: (err: unknown) => redactSecrets({ ...stdSerializers.err(err as Error) }) },
    // Words survive log pipelines that do not know pino's numeric levels.
    formatters: {
      level: (label: string) => ({ level: label }),
      log: (fields: Record<string, unknown>) => redactSecrets(fields),
    },
    // The message and its format arguments never reach the formatter: redact them on the way in.
    hooks: {
      logMethod(this: PinoLogger, args: Parameters<LogFn>, method: LogFn) {
        for (let i = 0; i < args.length; i++) if (typeof args[i] === 'string') args[i] = redactString(args[i] as string);
        method.apply(this, args);
      },
    },
    ...(options.redact?.length ? { redact: { paths: [...options.redact], censor: REDACTED } } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** Ids that tie a log line to a request and a distributed trace. */
export interface LogContext {
  requestId?: string;
  traceId?: string;
  spanId?: string;
  userId?: string;
}

/**
 * A child logger whose every line carries the given ids; unset ids are left out. Bind ids only:
 * pino does not pass child bindings through the redaction.
 *
 * @example
 * const reqLog = withContext(log, { requestId, traceId });
 * reqLog.warn('upstream slow');
 */
export function withContext(log: Logger, context: LogContext): Logger {
  const bindings: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === 'string' && value !== '') bindings[key] = value;
  }
  return log.child(bindings);
}
