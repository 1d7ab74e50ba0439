export { loadConfig, type Env } from './load-config';
export { ConfigError, type ConfigErrorCode, type ConfigProblem } from './config-error';
export { DEFAULT_PORTS, type ServiceName } from './default-ports';
export {
  bool,
  databaseUrl,
  durationMs,
  httpUrl,
  int,
  jwksJson,
  jsonText,
  logLevel,
  natsUrl,
  nodeEnv,
  port,
  LOG_LEVELS,
  NODE_ENVS,
  type LogLevel,
  type NodeEnv,
} from './config-fields';
export {
  baseServiceSchema,
  baseServiceShape,
  exactlyOneJwksSource,
  statelessServiceSchema,
  statelessServiceShape,
  type BaseServiceConfig,
  type StatelessServiceConfig,
} from './base-service.schema';
