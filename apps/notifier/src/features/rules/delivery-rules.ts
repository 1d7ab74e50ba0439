import { quietUntil } from '@oo/wall-clock';

export const CHANNELS = ['push', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The consent purpose (as recorded by profile) each channel needs. */
export const CONSENT_PURPOSE: Record<Channel, string> = { push: 'push_notifications', email: 'email_notifications' };

export type DropReason = 'no_channel' | 'no_destination' | 'stale' | 'duplicate' | 'fatigue_cap';

/** What the rules look at, read from the notifier's own projections in the delivery's transaction. */
export interface RuleInputs {
  now: Date;
  notAfter: Date;
  /** The channels the request asks for, in order. */
  requested: readonly string[];
  preferences: { timezone: string; quietStart: string | null; quietEnd: string | null; channels: readonly string[] } | undefined;
  /** Purpose → granted, the latest change of each. */
  consents: ReadonlyMap<string, boolean>;
  optedOut: ReadonlySet<string>;
  /** Whether the user has somewhere to receive each channel (a push subscription, a working address). */
  destinations: Readonly<Record<Channel, boolean>>;
  /** The same tip was delivered (or is on its way) within the dedupe window. */
  duplicate: boolean;
  /** Notifications delivered to the user in the rolling fatigue window, across channels. */
  deliveredInWindow: number;
  fatigueCap: number;
}

export type RuleDecision =
  | { action: 'send'; channels: Channel[] }
  | { action: 'defer'; until: Date; channels: Channel[] }
  | { action: 'drop'; reason: DropReason; detail: string };

const isChannel = (c: string): c is Channel => (CHANNELS as readonly string[]).includes(c);

/**
 * The rules before a notification leaves, in the order a person would ask: may we use this
 * channel (enabled in their preferences, consented, not unsubscribed), can we reach them there,
 * is it still worth sending, have we sent it already, have we sent too much, is it night for them.
 * Run when the request arrives and again just before each attempt (a consent withdrawn in between
 * stops it).
 *
 * @example
 * evaluateRules({ now, notAfter, requested: ['push', 'email'], preferences, consents, optedOut, destinations, duplicate: false, deliveredInWindow: 0, fatigueCap: 3 })
 * // { action: 'send', channels: ['push'] }
 */
export function evaluateRules(input: RuleInputs): RuleDecision {
  if (input.now >= input.notAfter) return { action: 'drop', reason: 'stale', detail: `not_after ${input.notAfter.toISOString()} has passed` };
  const allowed = input.requested
    .filter(isChannel)
    .filter((c) => input.preferences?.channels.includes(c) && input.consents.get(CONSENT_PURPOSE[c]) === true && !input.optedOut.has(c));
  if (allowed.length === 0) return { action: 'drop', reason: 'no_channel', detail: `none of ${input.requested.join(', ') || 'no channel'} is enabled, consented and subscribed` };
  const reachable = allowed.filter((c) => input.destinations[c]);
  if (reachable.length === 0) return { action: 'drop', reason: 'no_destination', detail: `no ${allowed.join(' or ')} destination (subscription or working address)` };
  if (input.duplicate) return { action: 'drop', reason: 'duplicate', detail: 'the same tip was sent within the dedupe window' };
  if (input.deliveredInWindow >= input.fatigueCap) return { action: 'drop', reason: 'fatigue_cap', detail: `${input.deliveredInWindow} notifications already in the rolling window (cap ${input.fatigueCap})` };
  const prefs = input.preferences;
  const until = prefs ? quietUntil(input.now, prefs.timezone, prefs.quietStart, prefs.quietEnd) : null;
  if (until) {
    if (until >= input.notAfter) return { action: 'drop', reason: 'stale', detail: `quiet hours end at ${until.toISOString()}, after not_after ${input.notAfter.toISOString()}` };
    return { action: 'defer', until, channels: reachable };
  }
  return { action: 'send', channels: reachable };
}
