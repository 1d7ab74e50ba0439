import { compactDecrypt, importJWK, SignJWT, type JWK } from 'jose';
import { Client } from 'pg';
import { CookieJar } from 'tough-cookie';

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

/** A browser's view of the gateway: a cookie jar and redirects it reads instead of following. */
export interface Browser {
  request(url: string, init?: RequestInit): Promise<Response>;
  cookie(url: string, name: string): Promise<string | undefined>;
}

/**
 * A cookie-keeping client that plays a browser against the gateway. Secure cookies are kept for
 * `http://localhost`, which browsers treat as a secure context.
 *
 * @example
 * const browser = createBrowser();
 * const res = await browser.request(`${publicUrl}/v1/auth/sign-in`);
 */
export function createBrowser(): Browser {
  const jar = new CookieJar();
  return {
    async request(url, init = {}) {
      const cookie = await jar.getCookieString(url);
      const headers = new Headers(init.headers);
      if (cookie) headers.set('cookie', cookie);
      const res = await fetch(url, { ...init, headers, redirect: 'manual' });
      for (const line of res.headers.getSetCookie()) await jar.setCookie(line, url);
      return res;
    },
    async cookie(url, name) {
      return (await jar.getCookies(url)).find((c) => c.key === name)?.value;
    },
  };
}

/** The key auth signs with right now, decrypted the way auth does: tests forge tokens that are validly signed but wrong. */
export async function currentSigningKey(databaseUrl: string, schema: string, keyEncryptionKey: string): Promise<{ kid: string; key: SigningKey }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ kid: string; private_jwe: string }>(
      `select kid, private_jwe from "${schema}".signing_keys where signs_from <= now() and retired_at is null order by signs_from desc limit 1`,
    );
    const row = rows[0];
    if (!row) throw new Error('auth has no signing key');
    const { plaintext } = await compactDecrypt(row.private_jwe, Buffer.from(keyEncryptionKey, 'base64url'));
    const jwk = JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
    return { kid: row.kid, key: await importJWK(jwk, 'ES256') };
  } finally {
    await client.end();
  }
}

/** Signs an access-token-shaped JWT with `key`, with the claims overridden as given. */
export function forgeToken(signing: { kid: string; key: SigningKey }, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'access', roles: [], iat: now, exp: now + 300, aud: 'oo', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: signing.kid, ...header })
    .sign(signing.key);
}

/** `header.payload.` with no signature: the `alg: none` attack. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}
