import { createHash } from 'node:crypto';
import { forgetUser, type BanditModel } from '@oo/bandit';

const DIGEST_PREFIX = 'sha256:';

const digestOf = (userId: string) => createHash('sha256').update(userId, 'utf8').digest('hex');

/**
 * What a `forget` entry of the observation log stores for the user: a digest, not the id, since
 * the log outlives the erasure it records and must not name the erased user.
 *
 * @example
 * await appendObservations(trx, [{ kind: 'forget', user_id: forgetKey('u1') }], now);
 */
export function forgetKey(userId: string): string {
  return `${DIGEST_PREFIX}${digestOf(userId)}`;
}

/**
 * Drops the user a `forget` entry names: by digest (finding the held user whose id hashes to it;
 * erasures are rare, so a pass over the users held is fine), or by id for entries written before
 * digests. True when a user was dropped.
 */
export function forgetByKey(model: BanditModel, key: string): boolean {
  if (!key.startsWith(DIGEST_PREFIX)) return forgetUser(model, key);
  const digest = key.slice(DIGEST_PREFIX.length);
  for (const userId of model.users.keys()) if (digestOf(userId) === digest) return forgetUser(model, userId);
  return false;
}
