import type { TokenGrant } from '../tokens/token-grant';
import { exchangeAuthorizationCode, refreshTokens } from './native-apps.service';

/**
 * The native apps' grants of `POST /oauth/token`, by `grant_type` (the token router dispatches).
 *
 * @example
 * const grants: Record<string, TokenGrant> = { client_credentials: clientCredentialsGrant, ...nativeGrants };
 */
export const nativeGrants: Record<string, TokenGrant> = {
  authorization_code: (params, ctx) => exchangeAuthorizationCode(ctx, params),
  refresh_token: (params, ctx) => refreshTokens(ctx, params),
};
