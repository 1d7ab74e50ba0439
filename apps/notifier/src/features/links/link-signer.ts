import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signed links that act without a session (one-click unsubscribe, RFC 8058). */
export interface LinkSigner {
  unsubscribeUrl(userId: string, channel: string): string;
  /** The user and channel a token names, or undefined when it is not one of ours. */
  verify(token: string): { userId: string; channel: string } | undefined;
}

/**
 * HMAC-SHA-256 tokens over `<channel>.<user>` under NOTIFIER_LINK_SECRET: nothing to store, and
 * a forged or edited token is refused. A token never expires, as an unsubscribe link must keep
 * working in an old e-mail.
 *
 * @example
 * const links = createLinkSigner(secret, 'https://oo.example');
 * links.unsubscribeUrl('ada', 'email') // https://oo.example/v1/notifications/unsubscribe?token=…
 */
export function createLinkSigner(secret: Buffer, publicUrl: string): LinkSigner {
  const mac = (text: string) => createHmac('sha256', secret).update(text).digest();
  return {
    unsubscribeUrl(userId, channel) {
      const body = Buffer.from(`${channel}.${userId}`, 'utf8').toString('base64url');
      return `${publicUrl.replace(/\/$/, '')}/v1/notifications/unsubscribe?token=${body}.${mac(`${channel}.${userId}`).toString('base64url')}`;
    },
    verify(token) {
      const [body, signature] = token.split('.');
      if (!body || !signature) return undefined;
      const text = Buffer.from(body, 'base64url').toString('utf8');
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(text);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const dot = text.indexOf('.');
      return dot > 0 ? { channel: text.slice(0, dot), userId: text.slice(dot + 1) } : undefined;
    },
  };
}
