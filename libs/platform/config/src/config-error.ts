/** Stable error codes of the config library. */
export type ConfigErrorCode = 'CONFIG_INVALID';

/** One thing wrong with the environment: the variable's name and why it was rejected. */
export interface ConfigProblem {
  readonly key: string;
  readonly reason: string;
}

/**
 * Thrown by `loadConfig` when the environment does not satisfy the schema. The message lists every
 * problem, one per line, so a failed start-up shows everything to fix at once. Values are never
 * echoed: they may be secrets.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode = 'CONFIG_INVALID';

  constructor(
    readonly problems: readonly ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    super(formatProblems(problems), options);
  }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const noun = problems.length === 1 ? 'problem' : 'problems';
  const lines = problems.map((p) => `  - ${p.key}: ${p.reason}`);
  return [`Invalid configuration (${problems.length} ${noun}):`, ...lines].join('\n');
}
