import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJwtVerifier } from '@oo/http';
import type { TestAuth } from '@oo/testing';

/**
 * auth's internal API as apps/auth/README.md states it, kept in memory, for the gateway's tests
 * until the real auth can run beside them. It signs access tokens with the test keys (so the
 * gateway and the upstreams verify them for real) and refuses any caller but the gateway's
 * service token; its token endpoint also serves the upstreams' client credentials. The identity provider is skipped: a callback URL with `code=ok:<userId>` signs
 * that user in.
 */
export interface FakeAuth {
  url: string;
  /** Session exchanges answered so far (to see the gateway's cache at work). */
  exchanges: number;
  /** Each internal call, as `METHOD path`. */
  calls: string[];
  /** Callback URLs the gateway passed on. */
  callbackUrls: string[];
  revokedRefreshTokens: string[];
  /** Signs `userId` in directly: the session cookie's value. */
  createSession(userId: string): string;
  /** Makes auth answer this status to everything (0: back to normal). */
  failWith: number;
  stop(): Promise<void>;
}

interface Attempt {
  client: 'web' | 'native';
  returnTo?: string;
  redirectUri?: string;
  state?: string;
}
interface Session {
  userId: string;
  sessionId: string;
  csrfToken: string;
}

const ADMINS = new Set(['root']);
const secret = () => randomBytes(24).toString('base64url');

async function readJson(req: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return JSON.parse(text) as Record<string, string>;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) return void res.writeHead(status).end();
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
}

const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) => ({ type: 'about:blank', title: 'Error', status, code, detail, instance: '/auth', ...extra });

/** @example const auth = await startFakeAuth(testAuth); */
export async function startFakeAuth(keys: TestAuth): Promise<FakeAuth> {
  const verifier = createJwtVerifier({ issuer: keys.issuer, jwks: JSON.parse(keys.jwks) });
  const attempts = new Map<string, Attempt>();
  const sessions = new Map<string, Session>();
  const deletions = new Map<string, Record<string, unknown>>();
  const exportsByUser = new Map<string, Record<string, unknown>>();
  const state = { exchanges: 0, calls: [] as string[], callbackUrls: [] as string[], revokedRefreshTokens: [] as string[], failWith: 0 };
  const accessToken = (userId: string, sid?: string) => keys.sign(userId, { roles: ADMINS.has(userId) ? ['admin'] : [], ...(sid ? { sid } : {}) });
  const createSession = (userId: string): string => {
    const token = secret();
    sessions.set(token, { userId, sessionId: `s-${secret().slice(0, 8)}`, csrfToken: secret() });
    return token;
  };

  const internal = async (method: string, path: string, body: Record<string, string>, res: ServerResponse) => {
    if (method === 'POST' && path === '/internal/v1/sign-in') {
      const attemptId = secret();
      attempts.set(attemptId, body['client'] === 'native' ? { client: 'native', redirectUri: body['redirectUri'], state: body['state'] } : { client: 'web', returnTo: body['returnTo'] ?? '/' });
      return send(res, 201, { attemptId, authorizationUrl: `https://idp.test/authorize?attempt=${attemptId.slice(0, 6)}`, expiresAt: new Date(Date.now() + 600_000).toISOString() });
    }
    if (method === 'POST' && path === '/internal/v1/sign-in/callback') {
      state.callbackUrls.push(body['callbackUrl'] ?? '');
      const attempt = attempts.get(body['attemptId'] ?? '');
      const code = new URL(body['callbackUrl'] ?? 'http://x/').searchParams.get('code') ?? '';
      attempts.delete(body['attemptId'] ?? '');
      if (!attempt || !code.startsWith('ok:')) return send(res, 400, problem(400, 'AUTH_SIGN_IN_FAILED', 'the sign-in could not be completed'));
      const userId = code.slice(3);
      if (attempt.client === 'native') return send(res, 200, { kind: 'native', redirectTo: `${attempt.redirectUri}?code=app-code&state=${attempt.state ?? ''}` });
      const sessionToken = createSession(userId);
      const session = sessions.get(sessionToken) as Session;
      const absoluteExpiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      return send(res, 200, { kind: 'web', returnTo: attempt.returnTo, session: { sessionToken, sessionId: session.sessionId, csrfToken: session.csrfToken, absoluteExpiresAt, idleTimeoutSec: 604_800 } });
    }
    if (method === 'POST' && path === '/internal/v1/sessions/access-token') {
      state.exchanges++;
      const session = sessions.get(body['sessionToken'] ?? '');
      if (!session) return send(res, 401, problem(401, 'AUTH_SESSION_NOT_FOUND', 'no such session'));
      return send(res, 200, { accessToken: await accessToken(session.userId, session.sessionId), expiresAt: new Date(Date.now() + 600_000).toISOString(), ...session });
    }
    if (method === 'POST' && path === '/internal/v1/sessions/revoke') {
      sessions.delete(body['sessionToken'] ?? '');
      return send(res, 204);
    }
    if (method === 'POST' && path === '/internal/v1/refresh-tokens/revoke') {
      state.revokedRefreshTokens.push(body['refreshToken'] ?? '');
      return send(res, 204);
    }
    const deletion = /^\/internal\/v1\/users\/([^/]+)\/deletion$/.exec(path);
    if (deletion && method === 'POST') {
      const requestId = randomUUID();
      const now = new Date();
      deletions.set(requestId, { requestId, status: 'pending', requestedAt: now.toISOString(), dueAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(), completedAt: null, subjectDigest: 'f'.repeat(64), services: [{ service: 'profile', erasedAt: null }] });
      for (const [token, s] of sessions) if (s.userId === decodeURIComponent(deletion[1] ?? '')) sessions.delete(token);
      return send(res, 202, { requestId, dueAt: deletions.get(requestId)?.dueAt });
    }
    const status = /^\/internal\/v1\/deletions\/([^/]+)$/.exec(path);
    if (status && method === 'GET') {
      const found = deletions.get(decodeURIComponent(status[1] ?? ''));
      return found ? send(res, 200, found) : send(res, 404, problem(404, 'AUTH_DELETION_NOT_FOUND', 'no such deletion request'));
    }
    if (method === 'GET' && path === '/internal/v1/deletions') return send(res, 200, { deletions: [...deletions.values()], nextCursor: null });
    // Exports as auth keeps them: per user, so another user's id is not found; one becomes ready at once.
    const exports = /^\/internal\/v1\/users\/([^/]+)\/exports(?:\/([^/]+)(\/archive)?)?$/.exec(path);
    if (exports) {
      const owner = decodeURIComponent(exports[1] ?? '');
      if (method === 'POST' && !exports[2]) {
        const exportId = randomUUID();
        const now = new Date().toISOString();
        const view = { exportId, status: 'ready', requestedAt: now, readyAt: now, expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), failure: null, archiveBytes: 4, partsExpected: 1, partsReceived: 1, services: [{ service: 'profile', status: 'received', chunksReceived: null, chunkCount: null }] };
        exportsByUser.set(`${owner}/${exportId}`, view);
        return send(res, 202, view);
      }
      const found = exportsByUser.get(`${owner}/${decodeURIComponent(exports[2] ?? '')}`);
      if (!found) return send(res, 404, problem(404, 'AUTH_EXPORT_NOT_FOUND', 'no such export'));
      if (!exports[3]) return send(res, 200, found);
      res.writeHead(200, { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="oo-export-${String(found['exportId'])}.zip"` });
      return res.end(Buffer.from('PK\x05\x06'));
    }
    const user = /^\/internal\/v1\/users\/([^/]+)(\/revoke)?$/.exec(path);
    if (user && method === 'POST' && user[2]) {
      for (const [token, s] of sessions) if (s.userId === decodeURIComponent(user[1] ?? '')) sessions.delete(token);
      return send(res, 204);
    }
    if (user && method === 'GET' && !user[2]) {
      const id = decodeURIComponent(user[1] ?? '');
      return send(res, 200, { id, email: `${id}@example.test`, displayName: id, roles: ADMINS.has(id) ? ['admin'] : [], createdAt: '2026-11-01T00:00:00.000Z' });
    }
    send(res, 404, problem(404, 'ROUTE_NOT_FOUND', `no route ${method} ${path}`));
  };

  const token = async (body: Record<string, string>, res: ServerResponse, basic: string) => {
    if (body['grant_type'] === 'client_credentials') {
      // The services' own tokens (the recommender's, through the kit): any secret will do here.
      const clientId = Buffer.from(basic.replace(/^Basic /, ''), 'base64').toString('utf8').split(':')[0] ?? '';
      return send(res, 200, { access_token: await keys.sign(clientId, { token_use: 'service' }), token_type: 'Bearer', expires_in: 600 });
    }
    if (body['grant_type'] === 'refresh_token' && body['refresh_token']?.startsWith('rt:')) {
      const userId = body['refresh_token'].slice(3);
      return send(res, 200, { access_token: await accessToken(userId), token_type: 'Bearer', expires_in: 600, refresh_token: `rt:${userId}` });
    }
    if (body['grant_type'] === 'authorization_code' && body['code'] === 'app-code') {
      return send(res, 200, { access_token: await accessToken('nat'), token_type: 'Bearer', expires_in: 600, refresh_token: 'rt:nat' });
    }
    send(res, 400, problem(400, 'AUTH_INVALID_GRANT', 'the grant is not valid', { error: 'invalid_grant' }));
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const body = await readJson(req);
      if (state.failWith) return send(res, state.failWith, problem(state.failWith, 'AUTH_BROKEN', 'told to fail'));
      if (path === '/oauth/token' && req.method === 'POST') return token(body, res, String(req.headers.authorization ?? ''));
      const caller = await verifier.verify(String(req.headers.authorization ?? '').replace(/^Bearer /, '')).catch(() => undefined);
      if (path === '/internal/v1/keys/rotate' && req.method === 'POST') {
        // As auth does: the admin's own token, not the gateway's.
        if (!caller?.isAdmin) return send(res, 403, problem(403, 'AUTH_FORBIDDEN', 'admins only'));
        return send(res, 200, { signingKid: 'k2', publishedKids: ['k1', 'k2', 'k3'] });
      }
      // As auth's internal router: the gateway's service token, or an admin's own.
      if (caller?.service !== 'gateway' && !caller?.isAdmin) return send(res, 403, problem(403, 'AUTH_FORBIDDEN', 'internal routes are for the gateway'));
      state.calls.push(`${req.method} ${path}`);
      await internal(req.method ?? 'GET', path, body, res);
    })().catch((err: unknown) => send(res, 500, problem(500, 'FAKE_AUTH_BUG', String(err))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeAuth = Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    createSession,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return fake;
}
