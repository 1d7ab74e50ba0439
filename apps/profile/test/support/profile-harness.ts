import type { MessageShape } from '@bufbuild/protobuf';
import type { subjects, Subject } from '@oo/contracts';
import type { Kysely } from '@oo/db';
import type { JetStreamBus } from '@oo/events';
import type { RunningService } from '@oo/service';
import { startServiceHarness } from '@oo/service-testing';
import type { ProfileDatabase } from '../../src/db/database';
import type { Clock } from '../../src/features/profile-features/profile-features.service';
import type { AnyFeatureDefinition } from '../../src/features/registry/feature-definition';
import { createProfileService, profile, type ProfileContext } from '../../src/service';

/** The real profile service (the kit's harness) on port 0 over a fresh schema and a private stream prefix. */
export interface ProfileHarness {
  baseUrl: string;
  db: Kysely<ProfileDatabase>;
  bus: JetStreamBus;
  service: RunningService<ProfileContext>;
  tokenFor(userId: string, roles?: string[], claims?: Record<string, unknown>): Promise<string>;
  /** Publishes an event the way the recommender's outbox relay would. */
  publish<S extends Subject>(subject: S, message: MessageShape<(typeof subjects)[S]>, userId: string): Promise<void>;
  /** How many events a durable consumer has handled (its inbox rows). */
  handled(durable: string): Promise<number>;
  /** Every event stored on `subject` so far, decoded, oldest first. */
  eventsOn<S extends Subject>(subject: S): Promise<{ headers: Record<string, string>; message: MessageShape<(typeof subjects)[S]> }[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  label: string;
  clock?: Clock;
  definitions?: readonly AnyFeatureDefinition[];
}

/**
 * @example
 * const h = await startProfileHarness({ label: 'profile-http' });
 * afterAll(() => h.stop());
 */
export async function startProfileHarness(options: HarnessOptions): Promise<ProfileHarness> {
  const descriptor = options.definitions ? createProfileService(options.definitions) : profile;
  const h = await startServiceHarness(descriptor, { label: options.label, clock: options.clock });
  return {
    baseUrl: h.baseUrl,
    db: h.db,
    bus: h.bus,
    service: h.service,
    tokenFor: (userId, roles = [], claims = {}) => h.tokenFor(userId, { roles, ...claims }),
    publish: (subject, message, userId) => h.publish(subject, message, userId, { source: 'recommender' }),
    handled: h.handled,
    eventsOn: h.eventsOn,
    stop: h.stop,
  };
}
