import type { AuthContext } from '../../service';

/** The parameters of a token request (RFC 6749 §4), form or JSON, as strings. */
export type TokenRequestParams = Readonly<Record<string, string | undefined>>;

/** A successful token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

/**
 * One `grant_type` of `POST /oauth/token`. It throws an `AuthError` (`AUTH_INVALID_GRANT`,
 * `AUTH_INVALID_CLIENT`, `AUTH_INVALID_REQUEST`) that the token router turns into problem+json
 * carrying RFC 6749's `error`.
 *
 * @example
 * const grants: Record<string, TokenGrant> = { client_credentials: clientCredentialsGrant };
 */
export type TokenGrant = (params: TokenRequestParams, ctx: AuthContext, request: { basicAuth?: { clientId: string; clientSecret: string } }) => Promise<TokenResponse>;
