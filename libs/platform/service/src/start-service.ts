import type { Server } from 'node:http';
import { loadConfig, type Env } from '@oo/config';
import type { SubjectMap } from '@oo/events';
import { closeServer, listen, serverPort, type ShutdownStep } from '@oo/http';
import { createLogger, type Logger } from '@oo/logger';
import { buildServiceApp } from './service-app';
import { isStatelessService, type AnyServiceDescriptor, type ContextOf, type KitConfig, type ServiceDescriptor, type StatelessKitConfig, type StatelessServiceDescriptor } from './service-descriptor';
import { openInfrastructure } from './service-infrastructure';
import type { ServiceTokenSource } from './service-token';
import { checkSubscriptions, findNatsDefinitions, startSubscriptions } from './subscription-table';
import type { EventBus, RunningConsumer } from '@oo/events';

export interface StartServiceOptions {
  /** The environment the config is read from (default `process.env`). */
  env?: Env;
  /** A bus shared by several services in one process (the embedded start); else JetStream at NATS_URL. */
  bus?: EventBus;
  log?: Logger;
  clock?: () => Date;
  /** Where deploy/nats is (default: found from the working directory). */
  natsDefinitionsDir?: string;
  /** The interface to listen on (default: all). */
  host?: string;
  /** Where `ctx.serviceToken()` gets its token (default: client credentials from the config); the harness signs with its test keys. */
  serviceToken?: ServiceTokenSource;
}

/** A started service: its context (for tests), where it listens, and how to stop it in order. */
export interface RunningService<Ctx> {
  readonly name: string;
  readonly ctx: Ctx;
  readonly server: Server;
  readonly url: string;
  readonly log: Logger;
  /** How long shutdown may take (SHUTDOWN_GRACE_MS) before the process exits anyway. */
  readonly graceMs: number;
  /** Mark not ready, close HTTP, stop consumers and relay, the service's own steps, drain the bus, close the pools. */
  readonly shutdownSteps: readonly ShutdownStep[];
  stop(): Promise<void>;
}

async function runSteps(steps: readonly ShutdownStep[], log: Logger): Promise<void> {
  for (const step of steps) {
    const name = step.name;
    try {
      await (typeof step === 'function' ? step() : step.run());
      log.debug({ step: name }, 'shutdown step done');
    } catch (err) {
      log.error({ err, step: name }, 'shutdown step failed');
    }
  }
}

/**
 * Runs a declared service: config (every bad key listed before any side effect), logger,
 * database pools (unless stateless), bus, the service's own setup, the outbox relay, the
 * subscription table (checked against deploy/nats first), readiness, HTTP. What started is
 * stopped again if a later step fails.
 *
 * @example
 * const running = await startService(recommender, { env: { ...process.env, PORT: '0' } });
 * await running.stop();
 */
export async function startService<C extends KitConfig, DB, M extends SubjectMap, Own extends object>(
  descriptor: ServiceDescriptor<C, DB, M, Own>,
  options?: StartServiceOptions,
): Promise<RunningService<ContextOf<ServiceDescriptor<C, DB, M, Own>>>>;
export async function startService<C extends StatelessKitConfig, M extends SubjectMap, Own extends object>(
  descriptor: StatelessServiceDescriptor<C, M, Own>,
  options?: StartServiceOptions,
): Promise<RunningService<ContextOf<StatelessServiceDescriptor<C, M, Own>>>>;
export async function startService(descriptor: AnyServiceDescriptor, options: StartServiceOptions = {}): Promise<RunningService<unknown>> {
  const env = options.env ?? process.env;
  const config = loadConfig(descriptor.config, env) as StatelessKitConfig;
  const log = options.log ?? createLogger({ service: descriptor.name, version: config.SERVICE_VERSION, level: config.LOG_LEVEL as 'info' });
  const stateful = !isStatelessService(descriptor);
  const rows = stateful ? (descriptor as ServiceDescriptor<KitConfig, unknown, SubjectMap, object>).subscriptions : [];
  const natsDefinitions = stateful ? await checkSubscriptions(descriptor.name, rows, options.natsDefinitionsDir ?? findNatsDefinitions(env)) : undefined;

  const infra = await openInfrastructure(descriptor, config, log, options, natsDefinitions);
  const started: ShutdownStep[] = [];
  try {
    const own = ((await descriptor.setup?.(infra.kit as never)) ?? {}) as object;
    const ctx = { ...infra.kit, ...own } as { log: Logger };
    started.push(...((descriptor.stop ?? []) as StatelessServiceDescriptor<StatelessKitConfig, SubjectMap, object>['stop'] & object).map((s) => ({ name: s.name, run: () => s.run(ctx as never) })));
    let consumers: RunningConsumer[] = [];
    if (infra.consumerDb) {
      consumers = await startSubscriptions({
        rows,
        subjects: descriptor.subjects,
        ctx,
        bus: infra.kit.bus,
        db: infra.consumerDb,
        log,
        metrics: infra.eventsMetrics,
        concurrency: (config as KitConfig).CONSUMER_CONCURRENCY,
        batchLingerMs: (config as KitConfig).CONSUMER_BATCH_LINGER_MS,
      });
      started.unshift({ name: 'stop consumers', run: () => Promise.all(consumers.map((c) => c.stop())) });
    }
    const { app, readiness } = buildServiceApp(descriptor as never, ctx, infra, consumers);
    const server = await listen(app, config.PORT, options.host);
    const shutdownSteps: ShutdownStep[] = [
      { name: 'mark not ready', run: () => readiness.markShuttingDown() },
      // Callers learn of the readiness (or finish what they sent) before the listener goes.
      ...(config.SHUTDOWN_DRAIN_MS > 0 ? [{ name: 'drain', run: () => new Promise((r) => setTimeout(r, config.SHUTDOWN_DRAIN_MS)) }] : []),
      { name: 'close http', run: () => closeServer(server, { forceAfterMs: config.SHUTDOWN_GRACE_MS / 2 }) },
      ...started,
      ...infra.closeSteps,
    ];
    const url = `http://127.0.0.1:${serverPort(server)}`;
    log.info({ port: serverPort(server), consumers: consumers.length, stateless: !stateful }, `${descriptor.name} listening`);
    let stopping: Promise<void> | undefined;
    return { name: descriptor.name, ctx, server, url, log, graceMs: config.SHUTDOWN_GRACE_MS, shutdownSteps, stop: () => (stopping ??= runSteps(shutdownSteps, log)) };
  } catch (err) {
    await runSteps([...started, ...infra.closeSteps], log);
    throw err;
  }
}
