/** A dependency check: resolves (to anything but `false`) when healthy; throws or returns `false` when not. */
export type ReadinessCheck = () => unknown;

export type CheckOutcome = 'ok' | 'failed' | 'timeout';

export interface ReadinessReport {
  /** False when a critical check failed or shutdown began; failing non-critical checks leave it true. */
  ready: boolean;
  shuttingDown: boolean;
  checks: Record<string, CheckOutcome>;
  /** Critical checks that did not pass. */
  failed: string[];
  /** Non-critical checks that did not pass: the service still serves, with less. */
  degraded: string[];
  /** Why each failed check failed, for logs only: messages may name internal hosts. */
  errors: Record<string, string>;
}

export interface ReadinessCheckOptions {
  /**
   * Whether a failure makes the service unready (default true). A dependency the service can
   * work without for a while (the broker, behind the outbox) is non-critical: it only degrades.
   */
  critical?: boolean;
}

export interface ReadinessOptions {
  /** How long one check may take before it counts as failed. Default 2000 ms. */
  timeoutMs?: number;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Aggregates the named checks a service's `/readyz` reports (database, NATS, consumers…).
 * A failing critical check makes the service unready; a failing non-critical one only marks it
 * degraded. After `markShuttingDown()` it reports not ready at once without running any check,
 * so load balancers stop sending traffic while the process drains.
 *
 * @example
 * const readiness = new Readiness()
 *   .add('database', () => isDbReachable(db))
 *   .add('nats', () => bus.health().healthy, { critical: false });
 * onShutdown(log, [() => readiness.markShuttingDown(), ...]);
 */
export class Readiness {
  private readonly checks = new Map<string, { check: ReadinessCheck; critical: boolean }>();
  private readonly timeoutMs: number;
  private shutdown = false;

  constructor(options: ReadinessOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  /** Adds (or replaces) a named check, critical unless told otherwise; returns `this` for chaining. */
  add(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): this {
    this.checks.set(name, { check, critical: options.critical ?? true });
    return this;
  }

  /** From now on the service reports not ready; there is no way back. */
  markShuttingDown(): void {
    this.shutdown = true;
  }

  get shuttingDown(): boolean {
    return this.shutdown;
  }

  /** Runs every check concurrently, each bounded by the timeout. */
  async check(): Promise<ReadinessReport> {
    if (this.shutdown) return { ready: false, shuttingDown: true, checks: {}, failed: [], degraded: [], errors: {} };
    const results = await Promise.all(
      [...this.checks].map(async ([name, { check, critical }]) => ({ name, critical, ...(await this.run(check)) })),
    );
    // Shutdown may have begun while the checks ran.
    const report: ReadinessReport = {
      ready: !this.shutdown,
      shuttingDown: this.shutdown,
      checks: {},
      failed: [],
      degraded: [],
      errors: {},
    };
    for (const result of results) {
      report.checks[result.name] = result.outcome;
      if (result.outcome === 'ok') continue;
      report.errors[result.name] = result.error;
      if (result.critical) {
        report.ready = false;
        report.failed.push(result.name);
      } else {
        report.degraded.push(result.name);
      }
    }
    return report;
  }

  private async run(check: ReadinessCheck): Promise<{ outcome: 'ok' } | { outcome: 'failed' | 'timeout'; error: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.timeoutMs);
    });
    try {
      const result = await Promise.race([Promise.resolve().then(check), timeout]);
      if (result === TIMED_OUT) return { outcome: 'timeout', error: `no answer within ${this.timeoutMs} ms` };
      if (result === false) return { outcome: 'failed', error: 'check returned false' };
      return { outcome: 'ok' };
    } catch (err) {
      return { outcome: 'failed', error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
