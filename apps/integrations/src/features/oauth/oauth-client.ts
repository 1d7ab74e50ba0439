import * as oauth from 'openid-client';
import { ConnectorError, type OAuthProvider } from '../connectors/connector';
import type { ProviderTokens } from '../vault/token-vault';

/** One provider's registration of our client, from configuration. */
export interface OAuthRegistration {
  descriptor: OAuthProvider;
  clientId: string;
  clientSecret: string;
  /** Our callback for this provider, registered with it (through the gateway). */
  redirectUri: string;
  /** Plain http to the provider: local stand-ins only, never production. */
  allowHttp: boolean;
  timeoutMs: number;
}

/** The connect flow and token refresh for one OAuth provider. */
export interface OAuthClient {
  readonly registration: OAuthRegistration;
  authorizationUrl(state: string, codeVerifier: string | null): Promise<string>;
  /** Trades the callback's code for tokens; `ConnectorError('auth')` when the provider refuses it. */
  exchangeCode(callbackQuery: URLSearchParams, expected: { state: string; codeVerifier: string | null }): Promise<ProviderTokens>;
  /** A fresh access token; `ConnectorError('auth')` when the refresh token is expired or revoked (`invalid_grant`). */
  refresh(refreshToken: string): Promise<ProviderTokens>;
}

function tokensFrom(response: oauth.TokenEndpointResponse, previousRefresh: string | null, now: number): ProviderTokens {
  return {
    accessToken: response.access_token,
    // Google sends a refresh token only on the first consent; a refresh keeps the one we had.
    refreshToken: response.refresh_token ?? previousRefresh,
    expiresAt: typeof response.expires_in === 'number' ? new Date(now + response.expires_in * 1000).toISOString() : null,
  };
}

function describe(error: { error: string; error_description?: string }): string {
  return error.error_description ? `${error.error}: ${error.error_description}` : error.error;
}

// Sorts a failure of openid-client by what the sync engine must do next; never echoes a token.
function translate(error: unknown, name: string, doing: string): Error {
  if (error instanceof ConnectorError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    if (error.status >= 500) return new ConnectorError('unavailable', `${name} failed while ${doing} (${error.status})`, { status: error.status, cause: error });
    if (error.error === 'invalid_grant') return new ConnectorError('auth', `${name} no longer accepts oO's access (${describe(error)}); connect ${name} again`, { status: error.status, cause: error });
    return new ConnectorError('auth', `${name} refused ${doing} (${describe(error)})`, { status: error.status, cause: error });
  }
  if (error instanceof oauth.AuthorizationResponseError) return new ConnectorError('auth', `${name} refused the connection (${describe(error)})`, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError('unavailable', `${name} could not be reached while ${doing} (${message})`, { cause: error });
}

/**
 * An OAuth 2 client for a provider that is not an OpenID provider (Todoist, Google's Tasks
 * scope), built on openid-client: the authorization URL with state (and PKCE S256 where the
 * provider supports it), the code exchange with every check of the callback, and refresh.
 *
 * @example
 * const client = createOAuthClient({ descriptor: todoistOAuth(urls), clientId, clientSecret, redirectUri, allowHttp: false, timeoutMs: 10_000 });
 * const url = await client.authorizationUrl(state, null);
 */
export function createOAuthClient(registration: OAuthRegistration): OAuthClient {
  const { descriptor } = registration;
  const server: oauth.ServerMetadata = {
    issuer: new URL(descriptor.authorizationEndpoint).origin,
    authorization_endpoint: descriptor.authorizationEndpoint,
    token_endpoint: descriptor.tokenEndpoint,
  };
  const auth = descriptor.clientAuth === 'client_secret_post' ? oauth.ClientSecretPost(registration.clientSecret) : oauth.ClientSecretBasic(registration.clientSecret);
  const config = new oauth.Configuration(server, registration.clientId, { client_secret: registration.clientSecret }, auth);
  config.timeout = registration.timeoutMs / 1000;
  if (registration.allowHttp) oauth.allowInsecureRequests(config);
  const name = descriptor.displayName;

  return {
    registration,
    async authorizationUrl(state, codeVerifier) {
      const params: Record<string, string> = { ...descriptor.authorizationParams, response_type: 'code', redirect_uri: registration.redirectUri, scope: descriptor.scopes.join(descriptor.scopeSeparator ?? ' '), state };
      if (codeVerifier) Object.assign(params, { code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256' });
      return oauth.buildAuthorizationUrl(config, params).href;
    },
    async exchangeCode(callbackQuery, expected) {
      // Only the query counts: the code goes back with the registered redirect URI, whatever URL the gateway was reached at.
      const callback = new URL(registration.redirectUri);
      callback.search = callbackQuery.toString();
      try {
        const response = await oauth.authorizationCodeGrant(config, callback, {
          expectedState: expected.state,
          ...(expected.codeVerifier ? { pkceCodeVerifier: expected.codeVerifier } : {}),
        });
        return tokensFrom(response, null, Date.now());
      } catch (error) {
        throw translate(error, name, 'the authorization code');
      }
    },
    async refresh(refreshToken) {
      try {
        return tokensFrom(await oauth.refreshTokenGrant(config, refreshToken), refreshToken, Date.now());
      } catch (error) {
        throw translate(error, name, 'refreshing the access token');
      }
    },
  };
}
