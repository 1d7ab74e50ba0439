import type { Logger } from '@oo/logger';
import * as oidc from 'openid-client';
import { AuthError } from '../../errors';

/** Who the identity provider says signed in, after every check of the callback and the ID token. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
}

export interface SignInStart {
  authorizationUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface RelyingParty {
  /** Fresh state, nonce and PKCE verifier (S256), and the provider's authorization URL carrying them. */
  begin(): Promise<SignInStart>;
  /** Checks the callback against what begin() returned: state, code exchange with the verifier, ID token (signature, iss, aud, exp, nonce). */
  complete(callbackUrl: URL, expected: { state: string; nonce: string; codeVerifier: string }): Promise<VerifiedIdentity>;
}

export interface RelyingPartyOptions {
  /** The provider's issuer identifier; its configuration is found by OpenID discovery. */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** Our callback, registered at the provider. */
  redirectUri: string;
  /** Plain http to the provider: the local one only. */
  allowHttp: boolean;
  log: Logger;
  /** Each request to the provider (discovery, token, keys) gives up after this long; default 10 s. */
  timeoutMs?: number;
}

const SCOPE = 'openid email profile';
const INVALID_ARGUMENT = new Set(['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE']);

const failed = (message: string, cause: unknown) => new AuthError('AUTH_SIGN_IN_FAILED', message, { cause });
const unavailable = (message: string, cause: unknown) => new AuthError('AUTH_PROVIDER_UNAVAILABLE', message, { cause });

function describe(error: { error: string; error_description?: string }): string {
  return error.error_description ? `${error.error}: ${error.error_description}` : error.error;
}

// Which check of openid-client failed, in words a person (and an operator) can act on.
function clientErrorMessage(error: oidc.ClientError): string | undefined {
  const detail = error.cause instanceof Error ? error.cause : undefined;
  const claim = (detail?.cause as { claim?: unknown } | undefined)?.claim;
  switch (error.code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      if (claim === 'nonce') return "the ID token's nonce does not match this sign-in attempt";
      if (claim === 'aud' || claim === 'azp') return 'the ID token was issued to another client (wrong audience)';
      if (claim === 'iss') return 'the ID token was issued by another provider (wrong issuer)';
      return `the ID token does not match this sign-in (${detail?.message ?? error.message})`;
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return `the ID token has expired or is not valid yet (${detail?.message ?? error.message})`;
    case 'OAUTH_KEY_SELECTION_FAILED':
      return "the ID token is signed with a key the provider does not publish";
    case 'OAUTH_INVALID_RESPONSE':
    case 'OAUTH_INVALID_REQUEST':
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED': {
      const text = detail?.message ?? error.message;
      if (/signature/i.test(text)) return "the ID token's signature does not verify";
      if (/"state"/.test(text)) return `the callback's state does not match this sign-in attempt (${text})`;
      if (/"iss"/.test(text)) return `the callback comes from another identity provider (${text})`;
      return `the identity provider's answer failed a check (${text})`;
    }
    default:
      // Timeouts, aborts, non-JSON or non-conforming responses: the provider is the problem.
      return undefined;
  }
}

/** Sorts a failure of openid-client into the person's sign-in failing or the provider failing. */
function translate(error: unknown, log: Logger): Error {
  if (error instanceof oidc.AuthorizationResponseError) {
    return failed(`the identity provider refused the sign-in (${describe(error)})`, error);
  }
  if (error instanceof oidc.ResponseBodyError) {
    if (error.status >= 500) return unavailable(`the identity provider's token endpoint failed (${error.status} ${describe(error)})`, error);
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
      // Not the person's fault and not fixed by trying again: our registration is wrong.
      log.error({ err: error }, 'the identity provider rejects our client credentials: check OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
      return unavailable(`the identity provider rejects this service's client credentials (${describe(error)})`, error);
    }
    if (error.error === 'invalid_grant') {
      return failed(`the identity provider refused the authorization code: already used, expired, or the PKCE verifier does not match (${describe(error)})`, error);
    }
    return failed(`the identity provider refused the code exchange (${describe(error)})`, error);
  }
  if (error instanceof oidc.ClientError) {
    const message = clientErrorMessage(error);
    if (message) return failed(message, error);
    return unavailable(`the identity provider could not be reached or answered nonsense (${error.message})`, error);
  }
  // A TypeError with an argument code is our own mistake; any other is fetch failing (refused, reset, DNS).
  if (error instanceof TypeError && INVALID_ARGUMENT.has((error as { code?: string }).code ?? '')) return error;
  return unavailable(`the identity provider could not be reached (${error instanceof Error ? error.message : String(error)})`, error);
}

// Only the query of the callback counts: the code goes back with our registered redirect URI,
// whatever host or scheme the URL the gateway passes on was rebuilt with.
function callbackAtRedirectUri(callbackUrl: URL, redirectUri: string): URL {
  const url = new URL(redirectUri);
  url.search = callbackUrl.search;
  return url;
}

function checkState(callbackUrl: URL, expectedState: string): void {
  const states = callbackUrl.searchParams.getAll('state');
  if (states.length === 0) throw failed('the callback carries no state, so it cannot be matched to this sign-in attempt', undefined);
  if (states.length > 1 || !expectedState || states[0] !== expectedState) {
    throw failed("the callback's state does not match this sign-in attempt", undefined);
  }
}

function identityFrom(claims: oidc.IDToken): VerifiedIdentity {
  return {
    issuer: claims.iss,
    subject: claims.sub,
    ...(typeof claims['email'] === 'string' ? { email: claims['email'] } : {}),
    emailVerified: claims['email_verified'] === true,
    ...(typeof claims['name'] === 'string' ? { name: claims['name'] } : {}),
  };
}

/**
 * oO's relying party at an OpenID provider (Google in production, the local one in
 * development): authorization code flow with PKCE S256, state and nonce, the identity read from
 * the verified ID token. The provider's configuration is discovered on first use and kept; a
 * failed discovery is tried again on the next call. Failures are `AuthError`s:
 * `AUTH_SIGN_IN_FAILED` when the callback or the provider's answer fails a check,
 * `AUTH_PROVIDER_UNAVAILABLE` when the provider cannot be reached or answers nonsense.
 *
 * @example
 * const rp = createRelyingParty({ issuerUrl: 'https://accounts.google.com', clientId, clientSecret, redirectUri: 'https://oo.example/v1/auth/callback', allowHttp: false, log });
 * const start = await rp.begin(); // keep state, nonce and codeVerifier with the login attempt; send the browser to start.authorizationUrl
 * const identity = await rp.complete(new URL(callbackUrl), start); // { issuer, subject, email, emailVerified, name }
 */
export function createRelyingParty(options: RelyingPartyOptions): RelyingParty {
  const { log } = options;
  const timeout = (options.timeoutMs ?? 10_000) / 1000;
  let discovered: Promise<oidc.Configuration> | undefined;

  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(new URL(options.issuerUrl), options.clientId, undefined, oidc.ClientSecretBasic(options.clientSecret), {
        timeout,
        // openid-client trusts an ID token from the token endpoint on TLS alone unless asked to
        // verify its signature against the provider's keys; we ask (and the local one is plain http).
        execute: options.allowHttp ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
      })
      .catch((error: unknown) => {
        discovered = undefined;
        log.warn({ err: error, issuer: options.issuerUrl }, 'OpenID discovery failed');
        throw unavailable(`the identity provider at ${options.issuerUrl} could not be reached or has no valid OpenID configuration`, error);
      });
    return discovered;
  };

  return {
    async begin() {
      const config = await configuration();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, {
        response_type: 'code',
        redirect_uri: options.redirectUri,
        scope: SCOPE,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { authorizationUrl: url.href, state, nonce, codeVerifier };
    },

    async complete(callbackUrl, expected) {
      checkState(callbackUrl, expected.state);
      const config = await configuration();
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackAtRedirectUri(callbackUrl, options.redirectUri), {
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          pkceCodeVerifier: expected.codeVerifier,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw failed('the identity provider answered without an ID token', undefined);
        return identityFrom(claims);
      } catch (error) {
        if (error instanceof AuthError) throw error;
        const translated = translate(error, log);
        const level = translated instanceof AuthError && translated.code === 'AUTH_SIGN_IN_FAILED' ? 'info' : 'warn';
        log[level]({ err: error }, `sign-in callback refused: ${translated.message}`);
        throw translated;
      }
    },
  };
}
