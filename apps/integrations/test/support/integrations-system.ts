import { DEFAULT_GOOGLE_CLIENT, startGoogleTasksServer, startTodoistServer } from '@oo/provider-servers';
import { startServiceHarness } from '@oo/service-testing';
import { eventually, testNatsUrl } from '@oo/testing';
import { integrationsService } from '../../src/service';
import { masterKey } from './vault-keys';

export const PUBLIC_URL = 'http://localhost:8080';

/**
 * integrations on the kit's harness with the Google and Todoist stand-ins as its providers,
 * syncing fast.
 *
 * @example
 * const s = await startWithProviders('google-sync');
 */
export async function startWithProviders(label: string, env: Record<string, string> = {}) {
  const google = await startGoogleTasksServer({
    clients: [{ ...DEFAULT_GOOGLE_CLIENT, redirectUris: [`${PUBLIC_URL}/v1/connections/google_tasks/callback`] }],
  });
  const todoist = await startTodoistServer({ app: { clientId: 'oo-test', clientSecret: 'oo-test-secret', redirectUris: [`${PUBLIC_URL}/v1/connections/todoist/callback`] } });
  const serviceEnv: Record<string, string> = {
      VAULT_MASTER_KEYS: masterKey('k1'),
      PUBLIC_URL,
      PROVIDERS_ALLOW_HTTP: 'true',
      GOOGLE_CLIENT_ID: DEFAULT_GOOGLE_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: DEFAULT_GOOGLE_CLIENT.clientSecret,
      GOOGLE_AUTHORIZE_URL: google.authorizeUrl,
      GOOGLE_TOKEN_URL: google.tokenUrl,
      GOOGLE_REVOKE_URL: google.revokeUrl,
      GOOGLE_TASKS_API_URL: google.url,
      ...todoist.integrationsEnv,
      SYNC_TICK_MS: '100',
      SYNC_INTERVAL_MS: '3600000',
      SYNC_BACKOFF_BASE_MS: '200',
      ...env,
  };
  const h = await startServiceHarness(integrationsService, { label, env: serviceEnv }).catch(async (err: unknown) => {
    await google.stop();
    await todoist.stop();
    throw err;
  });
  // What another instance of the same service (e.g. a process of its own) needs to join this one.
  const sameService = () => ({
    ...serviceEnv,
    DATABASE_URL: h.ctx.config.DATABASE_URL,
    DB_SCHEMA: h.ctx.config.DB_SCHEMA,
    NATS_URL: testNatsUrl(),
    STREAM_PREFIX: h.prefix,
    AUTH_ISSUER: h.auth.issuer,
    AUTH_JWKS: h.auth.jwks,
  });
  const stop = async () => {
    await h.stop();
    await google.stop();
    await todoist.stop();
  };
  return { h, google, todoist, sameService, stop };
}

type Harness = Awaited<ReturnType<typeof startWithProviders>>['h'];

/**
 * Runs the connect flow as a browser would: start, the provider's consent (auto-approved), the
 * callback; at the harness's instance, or at another instance's `baseUrl`.
 */
export async function connect(h: Harness, userId: string, provider: string, baseUrl?: string) {
  const token = await h.tokenFor(userId);
  const send = async (method: string, path: string, body?: unknown) => {
    if (!baseUrl) return h.call(method, path, { token }, body);
    const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const start = await send('POST', `/v1/integrations/connect/${provider}`, { timeZone: 'Europe/Berlin' });
  if (start.status !== 200) throw new Error(`connect start answered ${start.status}: ${JSON.stringify(start.body)}`);
  const consent = await fetch(start.body['authorizationUrl'] as string, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location') ?? '');
  return send('GET', `/v1/integrations/connect/${provider}/callback${back.search}`);
}

/** The connection's row once `done` holds for it. */
export function connectionWhen(h: Harness, connectionId: string, what: string, done: (row: Record<string, unknown>) => boolean) {
  return eventually(async () => {
    const row = await h.db.selectFrom('connections').selectAll().where('connection_id', '=', connectionId).executeTakeFirst();
    return row && done(row as unknown as Record<string, unknown>) ? row : undefined;
  }, what, 20_000);
}

/** The user's live task titles, sorted. */
export async function liveTitles(h: Harness, userId: string): Promise<string[]> {
  const rows = await h.db.selectFrom('tasks').select('title').where('user_id', '=', userId).where('deleted_at', 'is', null).execute();
  return rows.map((r) => r.title).sort();
}

/** The events on `subject` once there are at least `count` (the outbox relay publishes after the commit). */
export function streamed<S extends Parameters<Harness['eventsOn']>[0]>(h: Harness, subject: S, count: number) {
  return eventually(async () => {
    const events = await h.eventsOn(subject);
    return events.length >= count ? events : undefined;
  }, `${count} ${subject} event(s) on the stream`);
}
