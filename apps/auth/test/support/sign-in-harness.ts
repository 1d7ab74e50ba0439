import { createHash, randomBytes } from 'node:crypto';
import { startServiceHarness } from '@oo/service-testing';
// The local identity provider is a tool (tools/dev-idp), not an Nx library, so the boundary
// rule has no tag for it; these tests run against it as the real provider.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDevIdp } from '../../../../tools/dev-idp/dev-idp';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { signInAtDevIdp } from '../../../../tools/dev-idp/dev-idp-browser';
import { authService } from '../../src/service';

const PUBLIC_URL = 'http://127.0.0.1:8080';
const CLIENT = { clientId: 'oo-auth-test', clientSecret: randomBytes(24).toString('base64url') };

/** The clock auth runs on in these tests: real time plus an offset the test moves forward. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

function testClock(): TestClock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

/** A PKCE pair as a native app makes one (RFC 7636, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const start = async (label: string, env: Record<string, string>, clock: TestClock) => {
  const idp = await startDevIdp({ clients: [{ ...CLIENT, redirectUris: [`${PUBLIC_URL}/v1/auth/callback`] }] });
  try {
    const h = await startServiceHarness(authService, {
      label,
      clock: clock.now,
      env: {
        OIDC_ISSUER_URL: idp.issuer,
        OIDC_CLIENT_ID: CLIENT.clientId,
        OIDC_CLIENT_SECRET: CLIENT.clientSecret,
        OIDC_ALLOW_HTTP: 'true',
        AUTH_PUBLIC_URL: PUBLIC_URL,
        AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
        ...env,
      },
    });
    return { h, idp };
  } catch (err) {
    await idp.stop();
    throw err;
  }
};

/**
 * auth for real (the kit's harness: fresh schema, private streams) against the real local
 * identity provider, with the gateway's calls to the internal API.
 *
 * @example
 * const t = await startSignInHarness('auth-sign-in');
 * const { attemptId, authorizationUrl } = (await t.gateway('POST', '/internal/v1/sign-in', { client: 'web' })).body;
 */
export async function startSignInHarness(label: string, env: Record<string, string> = {}) {
  const clock = testClock();
  const { h, idp } = await start(label, env, clock);
  const gatewayToken = await h.serviceToken('gateway');
  const gateway = (method: string, path: string, body?: unknown) => h.call(method, path, { token: gatewayToken }, body);

  /** Starts a sign-in, signs in at the provider as `name`, and answers the callback route's reply. */
  const signIn = async (name: string, request: Record<string, unknown> = { client: 'web' }) => {
    const started = await gateway('POST', '/internal/v1/sign-in', request);
    if (started.status !== 201) throw new Error(`sign-in start answered ${started.status}: ${JSON.stringify(started.body)}`);
    const attemptId = started.body['attemptId'] as string;
    const callbackUrl = await signInAtDevIdp(started.body['authorizationUrl'] as string, name);
    return { attemptId, callbackUrl, answer: await gateway('POST', '/internal/v1/sign-in/callback', { attemptId, callbackUrl }) };
  };

  /** A web sign-in all the way to the session the gateway would keep. */
  const webSession = async (name: string) => {
    const { answer } = await signIn(name);
    if (answer.status !== 200) throw new Error(`callback answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body['session'] as { sessionToken: string; sessionId: string; csrfToken: string; absoluteExpiresAt: string; idleTimeoutSec: number };
  };

  /** `POST /oauth/token` as a native app sends it (form-encoded). */
  const tokenRequest = async (params: Record<string, string>) => {
    const res = await fetch(`${h.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
  };

  /** Plays the browser at the provider: signs in as `name` and returns the callback URL it redirects to. */
  const atProvider = (authorizationUrl: string, name: string) => signInAtDevIdp(authorizationUrl, name);

  const stop = async () => {
    await h.stop();
    await idp.stop();
  };
  return { h, idp, clock, gateway, signIn, webSession, tokenRequest, atProvider, stop };
}

export type SignInHarness = Awaited<ReturnType<typeof startSignInHarness>>;
