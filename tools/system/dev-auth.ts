import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export const DEV_ISSUER = 'urn:oo:dev-start';
const KID = 'dev-start';

export interface DevAuth {
  /** The public JWKS, as services read it from AUTH_JWKS. */
  jwks: string;
  /** Signs a user's access token (`token_use: access`, optionally with roles such as admin) that every service accepts. */
  tokenFor(userId: string, roles?: string[]): Promise<string>;
  /** Signs a service token (`token_use: service`) for one service calling another. */
  serviceTokenFor(service: string): Promise<string>;
  /** Writes the private key where tools such as `npm run simulate` find it (mode 0600). */
  writeKeyFile(path: string): void;
}

// Until the auth service exists, `npm start` signs tokens with a key made for this run only.
export async function createDevAuth(): Promise<DevAuth> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'ES256', use: 'sig' };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid: KID, alg: 'ES256' };
  const sign = (subject: string, claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: KID })
      .setSubject(subject)
      .setIssuer(DEV_ISSUER)
      .setAudience('oo')
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(privateKey);
  return {
    jwks: JSON.stringify({ keys: [jwk] }),
    tokenFor: (userId, roles = []) => sign(userId, { roles, token_use: 'access' }),
    serviceTokenFor: (service) => sign(service, { roles: [], token_use: 'service' }),
    writeKeyFile: (path) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify({ issuer: DEV_ISSUER, kid: KID, privateJwk }, null, 2), { mode: 0o600 });
    },
  };
}
