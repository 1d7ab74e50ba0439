import { api } from '../api/api-client';
import { unwrap } from '../api/problem';

/** A consent as it is asked for: its purpose, the version of its text, and the text itself. */
export interface ConsentText {
  purpose: string;
  version: string;
  title: string;
  text: string;
}

// The record of a consent is the SHA-256 of the exact words shown (profile stores the hash), so
// a changed text must get a new version.
export const CONSENT_TEXTS: readonly ConsentText[] = [
  {
    purpose: 'push_notifications',
    version: '1',
    title: 'Push notifications',
    text: 'oO may send this browser a notification with a tip, at most as often as your cadence allows and never in your quiet hours. You can turn this off at any time in Settings.',
  },
  {
    purpose: 'email_notifications',
    version: '1',
    title: 'E-mail',
    text: 'oO may e-mail you a tip at the address of your sign-in, at most as often as your cadence allows and never in your quiet hours. Every e-mail has a one-click unsubscribe link.',
  },
];

export function consentText(purpose: string): ConsentText {
  const found = CONSENT_TEXTS.find((c) => c.purpose === purpose);
  if (!found) throw new Error(`no consent text for ${purpose}`);
  return found;
}

/** The SHA-256 (hex) of a consent's text, as profile records it. */
export async function textHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Grants or withdraws the consent of `purpose`, recording the text shown for it. */
export async function recordConsent(purpose: string, granted: boolean) {
  const consent = consentText(purpose);
  return unwrap(api.POST('/v1/me/consents', { body: { purpose, version: consent.version, textHash: await textHash(consent.text), granted } }));
}
