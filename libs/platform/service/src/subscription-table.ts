import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Kysely } from '@oo/db';
import { loadNatsDefinitions, startConsumer, type EventBus, type EventsMetrics, type NatsDefinitions, type RunningConsumer, type SubjectMap } from '@oo/events';
import type { Logger } from '@oo/logger';
import { ServiceKitError } from './service-error';

/** The part of a subscription row the kit checks and starts. */
interface Row {
  readonly durable: string;
  readonly subject: string;
  readonly applyToErasedUsers?: boolean;
  readonly handler: (trx: never, event: never, ctx: never) => Promise<void>;
}

/**
 * Where deploy/nats lives: `NATS_DEFINITIONS_DIR`, else the nearest `deploy/nats` above the working
 * directory or this file (a checkout, or an image that copies it beside main.js).
 */
export function findNatsDefinitions(env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env['NATS_DEFINITIONS_DIR'];
  if (fromEnv) return resolve(fromEnv);
  for (const start of [process.cwd(), __dirname]) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, 'deploy', 'nats');
      if (existsSync(join(candidate, 'streams.json'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new ServiceKitError('SERVICE_NATS_DEFINITIONS_NOT_FOUND', 'deploy/nats not found; set NATS_DEFINITIONS_DIR');
}

/**
 * Compares the descriptor's subscription table with deploy/nats/consumers/<service>.json and
 * throws, naming every difference, when they disagree: a consumer nobody provisions never
 * receives anything, and a provisioned one nobody runs piles up events. Returns the definitions
 * it read, which the kit hands the service.
 */
export async function checkSubscriptions(service: string, rows: readonly Row[], definitionsDir: string): Promise<NatsDefinitions> {
  const definitions = await loadNatsDefinitions(definitionsDir);
  const declared = definitions.consumers.filter((c) => c.durable.startsWith(`${service}__`));
  const file = `deploy/nats/consumers/${service}.json`;
  const problems: string[] = [];
  for (const row of rows) {
    const match = declared.find((c) => c.durable === row.durable);
    if (!match) problems.push(`${row.durable} (${row.subject}) is subscribed but not declared in ${file}`);
    else if (match.filterSubject !== row.subject) problems.push(`${row.durable} filters ${match.filterSubject} in ${file} but the service subscribes ${row.subject}`);
  }
  for (const c of declared) {
    if (!rows.some((r) => r.durable === c.durable)) problems.push(`${c.durable} (${c.filterSubject}) is declared in ${file} but the service has no handler for it`);
  }
  if (problems.length > 0) {
    throw new ServiceKitError('SERVICE_SUBSCRIPTIONS_MISMATCH', `${service}: subscriptions disagree with ${file}:\n  - ${problems.join('\n  - ')}`);
  }
  return definitions;
}

export interface StartSubscriptionsOptions<Ctx, DB> {
  rows: readonly Row[];
  subjects: SubjectMap;
  ctx: Ctx;
  bus: EventBus;
  db: Kysely<DB>;
  log: Logger;
  metrics: EventsMetrics;
  concurrency: number;
  batchLingerMs: number;
}

/** Starts one durable consumer per row; stops those already started if one fails. */
export async function startSubscriptions<Ctx, DB>(options: StartSubscriptionsOptions<Ctx, DB>): Promise<RunningConsumer[]> {
  const started: RunningConsumer[] = [];
  try {
    for (const row of options.rows) {
      const handle = row.handler as unknown as (trx: unknown, event: unknown, ctx: Ctx) => Promise<void>;
      started.push(
        await startConsumer({
          bus: options.bus,
          db: options.db,
          log: options.log,
          metrics: options.metrics,
          durable: row.durable,
          subject: row.subject,
          schema: options.subjects[row.subject] as NonNullable<SubjectMap[string]>,
          concurrency: options.concurrency,
          batchLingerMs: options.batchLingerMs,
          applyToErasedUsers: row.applyToErasedUsers ?? false,
          handler: (trx, event) => handle(trx, event, options.ctx),
        }),
      );
    }
  } catch (err) {
    await Promise.all(started.map((c) => c.stop()));
    throw err;
  }
  return started;
}
