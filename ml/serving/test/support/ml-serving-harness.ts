import type { MessageShape } from '@bufbuild/protobuf';
import type { subjects, Subject } from '@oo/contracts';
import type { Kysely } from '@oo/db';
import type { JetStreamBus } from '@oo/events';
import type { RunningService } from '@oo/service';
import { startServiceHarness } from '@oo/service-testing';
import type { MlDatabase } from '../../src/db/database';
import type { Clock } from '../../src/features/reward-join/reward-join.service';
import { mlServing, type MlServingContext } from '../../src/service';

/** One running instance of ml-serving. */
export interface MlInstance {
  baseUrl: string;
  service: RunningService<MlServingContext>;
  stop(): Promise<void>;
}

/** ml-serving (the kit's harness) on a fresh schema and a private stream prefix; more instances may join. */
export interface MlHarness extends MlInstance {
  db: Kysely<MlDatabase>;
  bus: JetStreamBus;
  /** A bearer token: a service token (`token_use: service`), an admin's or a plain user's. */
  token(kind: 'service' | 'admin' | 'user'): Promise<string>;
  /** Publishes an event the way the recommender's outbox relay would; `id` fixes the ce-id. */
  publish<S extends Subject>(subject: S, message: MessageShape<(typeof subjects)[S]>, userId: string, options?: { id?: string; msgId?: string }): Promise<void>;
  /** Every event stored on `subject` so far, decoded, oldest first. */
  eventsOn<S extends Subject>(subject: S): Promise<{ headers: Record<string, string>; message: MessageShape<(typeof subjects)[S]> }[]>;
  /** Starts another instance on the same schema and streams (it shares the durable consumers). */
  startInstance(options?: InstanceOptions): Promise<MlInstance>;
}

export interface InstanceOptions {
  clock?: Clock;
  env?: Record<string, string>;
  /** Resolve only once the model is loaded (default true). */
  waitForModel?: boolean;
}

export interface HarnessOptions {
  label: string;
  clock?: Clock;
  env?: Record<string, string>;
  /** Runs after migrations and before the first instance starts (e.g. to seed a snapshot). */
  beforeStart?: (db: Kysely<MlDatabase>) => Promise<void>;
}

// Short poll and sweep intervals, so tests see learning promptly.
const TEST_ENV = { MODEL_POLL_INTERVAL_MS: '250', REWARD_SWEEP_INTERVAL_MS: '100' };

const instanceOf = (service: RunningService<MlServingContext>): MlInstance => ({ baseUrl: service.url, service, stop: () => service.stop() });

/**
 * @example
 * const h = await startMlHarness({ label: 'ml-score' });
 * afterAll(() => h.stop());
 */
export async function startMlHarness(options: HarnessOptions): Promise<MlHarness> {
  const h = await startServiceHarness(mlServing, { ...options, env: { ...TEST_ENV, ...options.env } });
  await h.service.ctx.live.loaded;
  return {
    ...instanceOf(h.service),
    db: h.db,
    bus: h.bus,
    token: (kind) => (kind === 'service' ? h.serviceToken('recommender') : h.tokenFor(kind === 'admin' ? 'ada' : 'bea', { roles: kind === 'admin' ? ['admin'] : [] })),
    publish: (subject, message, userId, publishOptions = {}) =>
      h.publish(subject, message, userId, { source: 'recommender', ...(publishOptions.id ? { id: publishOptions.id } : {}), ...(publishOptions.msgId ? { msgId: publishOptions.msgId } : {}) }),
    eventsOn: h.eventsOn,
    startInstance: async (instance = {}) => {
      const service = await h.startInstance({ clock: instance.clock ?? options.clock, env: { ...TEST_ENV, ...options.env, ...instance.env } });
      if (instance.waitForModel ?? true) await service.ctx.live.loaded;
      return instanceOf(service);
    },
    stop: h.stop,
  };
}
