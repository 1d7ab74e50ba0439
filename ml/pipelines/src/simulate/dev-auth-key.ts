import { readFile } from 'node:fs/promises';
import { importJWK, SignJWT, type JWK } from 'jose';
import { z } from 'zod';

/** The dev signing key `npm start` writes (default `.oo/dev-auth.json`): who issues, and the private ES256 key. */
export interface DevAuthKey {
  readonly issuer: string;
  readonly kid: string;
  readonly privateJwk: JWK;
}

/** The key file is missing or not a dev signing key. */
export class DevAuthKeyError extends Error {
  readonly code = 'PIPELINES_BAD_AUTH_KEY';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DevAuthKeyError';
  }
}

const keyFile = z.object({
  issuer: z.string().min(1),
  kid: z.string().min(1),
  privateJwk: z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), d: z.string() }),
});

/**
 * Reads and checks the dev signing key file.
 *
 * @example
 * const key = await readDevAuthKey('.oo/dev-auth.json');
 */
export async function readDevAuthKey(path: string): Promise<DevAuthKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new DevAuthKeyError(`cannot read the dev signing key ${path} (npm start writes it; --auth-key sets another path)`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new DevAuthKeyError(`${path} is not JSON`, { cause });
  }
  const result = keyFile.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DevAuthKeyError(`${path} is not a dev signing key { issuer, kid, privateJwk (ES256) }: ${problems}`);
  }
  return result.data as DevAuthKey;
}

/**
 * Signs user access tokens the way `npm start`'s dev auth does: ES256, sub = user, iss, aud `oo`,
 * `token_use: access`, no roles.
 *
 * @example
 * const sign = await createTokenSigner(key);
 * const token = await sign('sim-r1-u0');
 */
export async function createTokenSigner(key: DevAuthKey): Promise<(userId: string) => Promise<string>> {
  const privateKey = await importJWK(key.privateJwk, 'ES256');
  return (userId) =>
    new SignJWT({ roles: [], token_use: 'access' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setSubject(userId)
      .setIssuer(key.issuer)
      .setAudience('oo')
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(privateKey);
}
