import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { OO_AUDIENCE } from '@oo/http';
import type { SigningKeys } from '../keys/signing-keys.service';

export interface TokenIssuerDeps {
  keys: SigningKeys;
  clock: () => Date;
  /** AUTH_ISSUER: every oO service verifies `iss` against it. */
  issuer: string;
  accessTokenTtlMs: number;
  serviceTokenTtlMs: number;
}

/** A person's access token request. */
export interface AccessTokenRequest {
  userId: string;
  roles: readonly string[];
  /** The web session or refresh family behind the token (`sid`), so it can be revoked with it. */
  sessionId?: string;
  /** The native app the token was issued to (`client_id`). */
  clientId?: string;
  /** When the person last signed in for this session or family (OIDC `auth_time`): how fresh the sign-in is, for a step-up check. */
  authTime: Date;
}

export interface MintedToken {
  token: string;
  expiresAt: Date;
}

/** What `createTokenIssuer` returns. */
export interface TokenIssuer {
  mintAccessToken(request: AccessTokenRequest): Promise<MintedToken>;
  mintServiceToken(clientId: string): Promise<MintedToken>;
}

/**
 * Mints oO's access tokens (RFC 9068 `at+jwt`, ES256, audience `oo`) with the key that signs now.
 *
 * @example
 * const tokens = createTokenIssuer({ keys, clock, issuer: config.AUTH_ISSUER, accessTokenTtlMs, serviceTokenTtlMs });
 * const { token, expiresAt } = await tokens.mintAccessToken({ userId, roles: [], sessionId, authTime: session.created_at });
 */
export function createTokenIssuer(deps: TokenIssuerDeps): TokenIssuer {
  const mint = async (subject: string, ttlMs: number, claims: Record<string, unknown>): Promise<MintedToken> => {
    const { kid, privateKey } = deps.keys.activeKey();
    const iat = Math.floor(deps.clock().getTime() / 1000);
    const exp = iat + Math.floor(ttlMs / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(deps.issuer)
      .setAudience(OO_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, expiresAt: new Date(exp * 1000) };
  };
  return {
    mintAccessToken: ({ userId, roles, sessionId, clientId, authTime }) =>
      mint(userId, deps.accessTokenTtlMs, {
        token_use: 'access',
        roles: [...roles],
        auth_time: Math.floor(authTime.getTime() / 1000),
        ...(sessionId === undefined ? {} : { sid: sessionId }),
        ...(clientId === undefined ? {} : { client_id: clientId }),
      }),
    mintServiceToken: (clientId) => mint(clientId, deps.serviceTokenTtlMs, { token_use: 'service', client_id: clientId }),
  };
}
