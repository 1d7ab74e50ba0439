import { z } from 'zod';
import { baseServiceSchema, bool, DEFAULT_PORTS, durationMs, httpUrl, int } from '@oo/config';

const base64urlKey = (bytes: number, what: string) =>
  z.string().refine((v) => Buffer.from(v, 'base64url').length === bytes, `must be ${what} (${bytes} bytes, base64url)`);

/** The notifier's configuration: the keys every service reads, plus its own. */
export const notifierConfigSchema = baseServiceSchema('notifier').extend({
  /** Where clients reach oO (the gateway): unsubscribe links point here. */
  PUBLIC_URL: httpUrl().default(`http://localhost:${DEFAULT_PORTS.gateway}`),
  /** The web app, where a notification's link opens the tip; default PUBLIC_URL. */
  APP_URL: httpUrl().optional(),
  /** Signs the links that work without a session (unsubscribe): 32 random bytes, base64url. */
  NOTIFIER_LINK_SECRET: base64urlKey(32, 'a 32-byte secret'),
  /** Web push (VAPID, RFC 8292); without the keys push is unavailable. `npx web-push generate-vapid-keys` makes a pair. */
  VAPID_PUBLIC_KEY: base64urlKey(65, 'an uncompressed P-256 public key').optional(),
  VAPID_PRIVATE_KEY: base64urlKey(32, 'a P-256 private key').optional(),
  /** Who push services can contact about our traffic: `mailto:` or `https:`. */
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL').default('mailto:ops@localhost'),
  /** The SMTP server, `smtp://user:pass@host:587` or `smtps://…:465`; without it e-mail is unavailable. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  EMAIL_FROM: z.string().min(3).default('oO <tips@localhost>'),
  /** The same tip is not sent twice within this. */
  DEDUPE_WINDOW_MS: durationMs(6 * 3_600_000),
  /** At most FATIGUE_CAP notifications per user within this rolling window, across channels. */
  FATIGUE_WINDOW_MS: durationMs(24 * 3_600_000),
  FATIGUE_CAP: int({ min: 1, max: 100, default: 3 }),
  DISPATCH_TICK_MS: durationMs(500),
  DISPATCH_LEASE_MS: durationMs(60_000),
  DISPATCH_BATCH: int({ min: 1, max: 500, default: 20 }),
  /** First retry after a transient failure; doubles each time while not_after allows. */
  RETRY_BASE_MS: durationMs(30_000),
  /** Each request to a push service or the SMTP server gives up after this long. */
  CHANNEL_TIMEOUT_MS: durationMs(10_000),
  MAX_PUSH_SUBSCRIPTIONS_PER_USER: int({ min: 1, max: 100, default: 10 }),
  /** Accepts push endpoints over plain http or on internal addresses: local stand-ins only, never production. */
  PUSH_ALLOW_INSECURE_ENDPOINTS: bool(false),
}).superRefine((value, ctx) => {
  if (value.PUSH_ALLOW_INSECURE_ENDPOINTS && value.NODE_ENV === 'production') ctx.addIssue({ code: 'custom', path: ['PUSH_ALLOW_INSECURE_ENDPOINTS'], message: 'is for local stand-ins only, not production' });
  if (Boolean(value.VAPID_PUBLIC_KEY) !== Boolean(value.VAPID_PRIVATE_KEY)) ctx.addIssue({ code: 'custom', path: ['VAPID_PRIVATE_KEY'], message: 'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither' });
});

export type NotifierConfig = z.output<typeof notifierConfigSchema>;
