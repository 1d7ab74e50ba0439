import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { decodeEvent, type EventBus, type FanOutSubscription, type SubjectMap } from '@oo/events';
import type { Revocation, TokenVerifier } from '@oo/http';
import type { Logger } from '@oo/logger';

export const REVOKED_SUBJECT = 'users.revoked';

/** A `users.revoked` event as services see it: which tokens no longer count, and why. */
export interface RevokedEvent extends Revocation {
  readonly reason: string;
}

export type RevokedListener = (event: RevokedEvent) => void;

/** The fields of oo.users.v1.UserRevoked the kit reads (the platform cannot import the contracts). */
interface UserRevokedShape {
  readonly userId: string;
  readonly revokedBefore?: Timestamp;
  readonly sessionId: string;
  readonly reason: string;
}

export interface RevocationFanOut {
  /** Calls `listener` for every revocation from now on; returns its removal. */
  onRevoked(listener: RevokedListener): () => void;
  /** False while the fan-out subscription is down (readiness reports it as degraded). */
  healthy(): boolean;
  stop(): Promise<void>;
}

export interface RevocationFanOutOptions {
  bus: EventBus;
  subjects: SubjectMap;
  verifier: TokenVerifier;
  log: Logger;
  /** Events since this are replayed at start: every token they could match may still be in use. */
  since: Date;
}

/**
 * Subscribes this process to `users.revoked` on a fan-out subscription of its own (every instance
 * sees every event), applies each to the verifier and tells the listeners. A service whose subject
 * map has no `users.revoked` gets no subscription.
 *
 * @example
 * const revocations = await startRevocationFanOut({ bus, subjects, verifier, log, since });
 * revocations.onRevoked((r) => sessionCache.forget(r.userId));
 */
export async function startRevocationFanOut(options: RevocationFanOutOptions): Promise<RevocationFanOut> {
  const listeners = new Set<RevokedListener>();
  const onRevoked = (listener: RevokedListener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const schema = options.subjects[REVOKED_SUBJECT];
  if (!schema) return { onRevoked, healthy: () => true, stop: async () => undefined };
  const { log, verifier } = options;
  let subscription: FanOutSubscription | undefined;
  subscription = await options.bus.subscribeFanOut({ subject: REVOKED_SUBJECT, since: options.since }, (raw) => {
    const message = decodeEvent(schema, raw).message as unknown as UserRevokedShape;
    if (!message.userId || !message.revokedBefore) {
      log.warn({ seq: raw.streamSequence }, 'users.revoked without user_id or revoked_before; ignored');
      return;
    }
    const event: RevokedEvent = {
      userId: message.userId,
      revokedBefore: timestampDate(message.revokedBefore),
      ...(message.sessionId ? { sessionId: message.sessionId } : {}),
      reason: message.reason,
    };
    verifier.revoke(event);
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        log.error({ err }, 'a users.revoked listener failed');
      }
    }
  });
  return {
    onRevoked,
    healthy: () => subscription?.health().healthy ?? false,
    stop: async () => {
      await subscription?.stop();
      subscription = undefined;
    },
  };
}
