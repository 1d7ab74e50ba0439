import { randomBytes } from 'node:crypto';
import { startServiceHarness } from '@oo/service-testing';
import { createTestAuth, type TestAuth } from '@oo/testing';
import { gatewayService } from '../../src/service';
import { startFakeAuth, type FakeAuth } from './fake-auth';
import { startFakeMlServing } from './fake-ml-serving';
import { startUpstreamProcess } from './upstream-process';

/** The gateway (in process) in front of the real profile, recommender, integrations and notifier (their own processes, schemas and streams) and auth's contract fake, all trusting one test key. */
export interface GatewaySystem {
  baseUrl: string;
  keys: TestAuth;
  auth: FakeAuth;
  profileUrl: string;
  recommenderUrl: string;
  integrationsUrl: string;
  gateway: Awaited<ReturnType<typeof startGateway>>;
  /** A user's access token, as auth would issue it. */
  tokenFor(userId: string, claims?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

export interface GatewaySystemOptions {
  label: string;
  /** Extra gateway environment (e.g. low rate limits, another upstream URL). */
  env?: Record<string, string>;
}

function startGateway(keys: TestAuth, label: string, env: Record<string, string>) {
  return startServiceHarness(gatewayService, { label, auth: keys, env });
}

/**
 * @example
 * const s = await startGatewaySystem({ label: 'gateway-routes' });
 * afterAll(() => s.stop());
 */
export async function startGatewaySystem(options: GatewaySystemOptions): Promise<GatewaySystem> {
  const keys = await createTestAuth();
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const auth = await startFakeAuth(keys);
    stops.push(() => auth.stop());
    const trust = { AUTH_ISSUER: keys.issuer, AUTH_JWKS: keys.jwks };
    const ml = await startFakeMlServing();
    stops.push(() => ml.stop());
    const p = await startUpstreamProcess({ service: 'profile', label: options.label, env: trust });
    stops.push(() => p.stop());
    const r = await startUpstreamProcess({
      service: 'recommender',
      label: options.label,
      // No ml-serving here: the recommender's local policy chooses (its documented fallback).
      env: { ...trust, PROFILE_URL: p.url, ML_SERVING_URL: 'http://127.0.0.1:9', ML_TIMEOUT_MS: '200', AUTH_TOKEN_URL: `${auth.url}/oauth/token`, SERVICE_CLIENT_SECRET: 'test-secret' },
    });
    stops.push(() => r.stop());
    const i = await startUpstreamProcess({ service: 'integrations', label: options.label, env: { ...trust, VAULT_MASTER_KEYS: `test1:${randomBytes(32).toString('base64url')}` } });
    stops.push(() => i.stop());
    const n = await startUpstreamProcess({ service: 'notifier', label: options.label, env: { ...trust, NOTIFIER_LINK_SECRET: randomBytes(32).toString('base64url') } });
    stops.push(() => n.stop());
    const gateway = await startGateway(keys, options.label, {
      AUTH_URL: auth.url,
      PROFILE_URL: p.url,
      RECOMMENDER_URL: r.url,
      INTEGRATIONS_URL: i.url,
      NOTIFIER_URL: n.url,
      // The policy admin routes only (the recommender above runs without ml-serving).
      ML_SERVING_URL: ml.url,
      PUBLIC_URL: 'http://localhost:8080',
      WEB_ORIGINS: 'https://app.oo.test',
      ...options.env,
    });
    stops.push(() => gateway.stop());
    return {
      baseUrl: gateway.baseUrl,
      keys,
      auth,
      profileUrl: p.url,
      recommenderUrl: r.url,
      integrationsUrl: i.url,
      gateway,
      tokenFor: (userId, claims = {}) => keys.sign(userId, claims),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
