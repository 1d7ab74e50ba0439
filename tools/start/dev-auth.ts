import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export const DEV_ISSUER = 'urn:oo:dev-start';

export interface DevAuth {
  /** The public JWKS, as services read it from AUTH_JWKS. */
  jwks: string;
  /** Signs a bearer token for a user (or an admin) that every service accepts. */
  tokenFor(userId: string, roles?: string[]): Promise<string>;
}

// Until the auth service exists, `npm start` signs tokens with a key made for this run only.
export async function createDevAuth(): Promise<DevAuth> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'dev-start', alg: 'ES256', use: 'sig' };
  return {
    jwks: JSON.stringify({ keys: [jwk] }),
    tokenFor: (userId, roles = []) =>
      new SignJWT({ roles })
        .setProtectedHeader({ alg: 'ES256', kid: 'dev-start' })
        .setSubject(userId)
        .setIssuer(DEV_ISSUER)
        .setAudience('oo')
        .setIssuedAt()
        .setExpirationTime('12h')
        .sign(privateKey),
  };
}
