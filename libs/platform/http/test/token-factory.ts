import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';

export const ISSUER = 'http://auth.test';
export const KID = 'key-1';

export interface TokenOptions {
  /** Added to `token_use: 'access'`; `{ token_use: undefined }` leaves the claim out. */
  claims?: JWTPayload;
  issuer?: string;
  audience?: string;
  expiresAt?: number | string;
  /** `iat` in seconds; default now. */
  issuedAt?: number;
  key?: CryptoKey;
}

/** An ES256 signing key, its public JWKS, a second unrelated key, and a signer of user access tokens. */
export interface TokenFactory {
  jwks: JSONWebKeySet;
  otherKey: CryptoKey;
  signingKey: CryptoKey;
  sign(options?: TokenOptions): Promise<string>;
}

export async function createTokenFactory(): Promise<TokenFactory> {
  const pair = await generateKeyPair('ES256');
  const otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'ES256', use: 'sig' }] };
  const sign = (options: TokenOptions = {}) =>
    new SignJWT({ token_use: 'access', ...options.claims })
      .setProtectedHeader({ alg: 'ES256', kid: KID })
      .setSubject(String(options.claims?.sub ?? 'user-1'))
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? 'oo')
      .setIssuedAt(options.issuedAt)
      .setExpirationTime(options.expiresAt ?? '5m')
      .sign(options.key ?? pair.privateKey);
  return { jwks, otherKey, signingKey: pair.privateKey, sign };
}
