import type { SigningKeySchedule } from './signing-key.repository';

/** How keys follow each other. */
export interface KeyPolicy {
  /** A key signs this long before the next one takes over (SIGNING_KEY_ROTATION_MS). */
  rotationMs: number;
  /** A new key is published this long before it signs (SIGNING_KEY_PUBLISH_AHEAD_MS). */
  publishAheadMs: number;
  /** A retired key stays in the JWKS this long: the longest token lifetime plus slack. */
  retainAfterRetirementMs: number;
}

/** What to change so the key set is right at `now`; empty when it already is. */
export interface KeyPlan {
  /** Published keys that take over now (forced rotation, or nothing signs). */
  startNow: string[];
  retire: { kid: string; retiredAt: Date; expiresAt: Date }[];
  /** New keys to make, by when each signs. */
  create: { signsFrom: Date }[];
  /** Keys past `expires_at`: out of the JWKS, deleted. */
  remove: string[];
}

const later = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);
const plus = (d: Date, ms: number): Date => new Date(d.getTime() + ms);

/**
 * The one rule of the key set, as a pure function: exactly one key signs (the newest whose
 * `signs_from` has come), older ones are retired when it took over and stay published until their
 * tokens expired, and there is always one published next key. Only the very first key signs at
 * once; with `force`, the next key takes over now (an admin's rotation).
 *
 * @example
 * const plan = planKeys(keys, now, policy);
 * if (isEmptyPlan(plan)) return;
 */
export function planKeys(keys: readonly SigningKeySchedule[], now: Date, policy: KeyPolicy, options: { force?: boolean } = {}): KeyPlan {
  const plan: KeyPlan = { startNow: [], retire: [], create: [], remove: [] };
  const live = keys.filter((k) => k.expiresAt === null || k.expiresAt > now);
  plan.remove = keys.filter((k) => !live.includes(k)).map((k) => k.kid);
  const unretired = live.filter((k) => k.retiredAt === null);
  const started = unretired.filter((k) => k.signsFrom <= now).sort((a, b) => b.signsFrom.getTime() - a.signsFrom.getTime());
  const pending = unretired.filter((k) => k.signsFrom > now).sort((a, b) => a.signsFrom.getTime() - b.signsFrom.getTime());

  let activeSince: Date | undefined = started[0]?.signsFrom;
  let retiring = started.slice(1);
  if (options.force || started.length === 0) {
    const next = pending.shift();
    if (next) plan.startNow.push(next.kid);
    else plan.create.push({ signsFrom: now });
    activeSince = now;
    retiring = started;
  }
  for (const key of retiring) {
    const retiredAt = activeSince ?? now;
    plan.retire.push({ kid: key.kid, retiredAt, expiresAt: plus(retiredAt, policy.retainAfterRetirementMs) });
  }
  if (pending.length === 0) {
    plan.create.push({ signsFrom: later(plus(activeSince ?? now, policy.rotationMs), plus(now, policy.publishAheadMs)) });
  }
  return plan;
}

export function isEmptyPlan(plan: KeyPlan): boolean {
  return plan.startNow.length + plan.retire.length + plan.create.length + plan.remove.length === 0;
}

/**
 * The key that signs at `now` among those known: the newest started one not yet retired. Chosen
 * by time, so an instance hands over at `signs_from` even between its checks.
 */
export function signingKidAt(keys: readonly SigningKeySchedule[], now: Date): string | undefined {
  let best: SigningKeySchedule | undefined;
  for (const k of keys) {
    if (k.signsFrom > now || (k.retiredAt !== null && k.retiredAt <= now)) continue;
    if (!best || k.signsFrom > best.signsFrom) best = k;
  }
  return best?.kid;
}

/** Whether a key belongs in the JWKS at `now`. */
export function isPublished(key: SigningKeySchedule, now: Date): boolean {
  return key.createdAt <= now && (key.expiresAt === null || key.expiresAt > now);
}
