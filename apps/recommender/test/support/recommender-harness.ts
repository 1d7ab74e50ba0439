import type { MessageShape } from '@bufbuild/protobuf';
import type { subjects, Subject } from '@oo/contracts';
import type { Kysely } from '@oo/db';
import type { JetStreamBus } from '@oo/events';
import type { RunningService } from '@oo/service';
import { startServiceHarness } from '@oo/service-testing';
import { createTestAuth, eventually } from '@oo/testing';
import type { RecommenderDatabase } from '../../src/db/database';
import type { Clock } from '../../src/features/decisions/recommend.service';
import { recommender, type RecommenderContext } from '../../src/service';
import { startFakeMlServing, startFakeProfile, type FakeMlServing, type FakeProfile } from './fake-upstreams';

/** The real recommender (the kit's harness) with local fakes of profile and ml-serving that tests can make slow, absent or broken. */
export interface RecommenderHarness {
  baseUrl: string;
  db: Kysely<RecommenderDatabase>;
  bus: JetStreamBus;
  profile: FakeProfile;
  ml: FakeMlServing;
  service: RunningService<RecommenderContext>;
  /** The token the service presents upstream (token_use service, sub recommender). */
  serviceToken: string;
  tokenFor(userId: string, claims?: Record<string, unknown>): Promise<string>;
  /** Publishes an event the way the integrations service's outbox relay would. */
  publish<S extends Subject>(subject: S, message: MessageShape<(typeof subjects)[S]>, userId: string): Promise<void>;
  handled(durable: string): Promise<number>;
  /** Another instance on the same schema, streams and upstreams. */
  startInstance(options?: { env?: Record<string, string>; clock?: Clock }): Promise<RunningService<RecommenderContext>>;
  eventsOn<S extends Subject>(subject: S): Promise<{ headers: Record<string, string>; message: MessageShape<(typeof subjects)[S]> }[]>;
  /** Calls the API as `userId` (null: no token). */
  call(method: string, path: string, userId: string | null, body?: unknown): Promise<{ status: number; type: string; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  label: string;
  clock?: Clock;
  env?: Record<string, string>;
}

/**
 * @example
 * const h = await startRecommenderHarness({ label: 'recommend' });
 * afterAll(() => h.stop());
 */
export async function startRecommenderHarness(options: HarnessOptions): Promise<RecommenderHarness> {
  const auth = await createTestAuth();
  const serviceToken = await auth.sign('recommender', { token_use: 'service' });
  const profile = await startFakeProfile(() => serviceToken);
  const ml = await startFakeMlServing(() => serviceToken);
  const h = await startServiceHarness(recommender, {
    label: options.label,
    clock: options.clock,
    auth,
    // ctx.serviceToken() hands out the one token the fakes accept.
    serviceToken: async () => serviceToken,
    env: {
      PROFILE_URL: profile.url,
      ML_SERVING_URL: ml.url,
      // Generous budgets keep a loaded test machine from turning normal calls into fallbacks; the
      // fakes' slow mode (2.5 s) still runs past them.
      PROFILE_TIMEOUT_MS: '1000',
      ML_TIMEOUT_MS: '1000',
      // The fake ml-serving answers scores only; the replica is tested against the real one.
      MODEL_REPLICA: 'off',
      // The scheduler decides on its own; the tests of it turn it on.
      NUDGES: 'off',
      ...options.env,
    },
  }).catch(async (err: unknown) => {
    await Promise.all([profile.stop(), ml.stop()]);
    throw err;
  });
  // The service reads profile's registry as it starts; once it has, fetch is loaded and warm, so a
  // test's first decision is not the one that pays for that.
  await eventually(async () => (profile.registryReads > 0 ? true : undefined), 'the registry read at start');
  return {
    baseUrl: h.baseUrl,
    db: h.db,
    bus: h.bus,
    profile,
    ml,
    service: h.service,
    serviceToken,
    tokenFor: h.tokenFor,
    publish: (subject, message, userId) => h.publish(subject, message, userId, { source: 'integrations' }),
    handled: h.handled,
    startInstance: (instance) => h.startInstance(instance),
    eventsOn: h.eventsOn,
    call: async (method, path, userId, body) => {
      const { status, type, body: parsed } = await h.call(method, path, userId, body);
      return { status, type, body: parsed };
    },
    stop: async () => {
      await h.stop();
      await Promise.all([profile.stop(), ml.stop()]);
    },
  };
}
