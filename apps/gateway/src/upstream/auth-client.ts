import type { Response } from 'express';
import type { z } from 'zod';
import { GatewayError } from '../errors';
import { accessTokenAnswer, callbackAnswer, meSchema, signInAnswer } from '../schemas/auth.schemas';
import { deletionStartedSchema } from '../schemas/deletion.schemas';
import { exportStatusSchema } from '../schemas/export.schemas';
import type { UpstreamClient } from './upstream-client';

export type SignInRequest =
  | { client: 'web'; returnTo?: string }
  | { client: 'native'; clientId: string; redirectUri: string; codeChallenge: string; codeChallengeMethod: 'S256'; state?: string };

/**
 * auth's internal API (apps/auth/README.md), called with the gateway's own service token; the
 * answers that the gateway reads are checked against their schema, so a contract drift is a 502
 * naming the call rather than an undefined somewhere later.
 *
 * @example
 * const grant = await auth.exchangeSession(sessionToken, res);
 */
export class AuthClient {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly serviceToken: () => Promise<string>,
  ) {}

  signIn(body: SignInRequest, res: Response) {
    return this.post('/internal/v1/sign-in', body, res, signInAnswer);
  }

  callback(attemptId: string, callbackUrl: string, res: Response) {
    return this.post('/internal/v1/sign-in/callback', { attemptId, callbackUrl }, res, callbackAnswer);
  }

  exchangeSession(sessionToken: string, res: Response) {
    return this.post('/internal/v1/sessions/access-token', { sessionToken }, res, accessTokenAnswer);
  }

  async revokeSession(sessionToken: string, res: Response): Promise<void> {
    await this.send('POST', '/internal/v1/sessions/revoke', { sessionToken }, res);
  }

  async revokeRefreshToken(refreshToken: string, clientId: string, res: Response): Promise<void> {
    await this.send('POST', '/internal/v1/refresh-tokens/revoke', { refreshToken, clientId }, res);
  }

  async revokeUser(userId: string, res: Response): Promise<void> {
    await this.send('POST', `/internal/v1/users/${encodeURIComponent(userId)}/revoke`, undefined, res);
  }

  async user(userId: string, res: Response): Promise<z.output<typeof meSchema>> {
    return checked(meSchema, (await this.send('GET', `/internal/v1/users/${encodeURIComponent(userId)}`, undefined, res)).body, 'GET /internal/v1/users');
  }

  /** Starts the account's deletion (auth signs the user out everywhere); the request id and deadline. */
  async requestDeletion(userId: string, res: Response): Promise<z.output<typeof deletionStartedSchema>> {
    return this.post(`/internal/v1/users/${encodeURIComponent(userId)}/deletion`, undefined, res, deletionStartedSchema);
  }

  /** A deletion's progress, piped: anyone holding the request id may ask (the answer never names the user). */
  async deletion(requestId: string, res: Response): Promise<void> {
    return this.upstream.pipe({ method: 'GET', path: `/internal/v1/deletions/${encodeURIComponent(requestId)}`, authorization: `Bearer ${await this.serviceToken()}` }, res);
  }

  /** Starts the user's data export (or answers the one being collected). */
  requestExport(userId: string, res: Response): Promise<z.output<typeof exportStatusSchema>> {
    return this.post(`/internal/v1/users/${encodeURIComponent(userId)}/exports`, undefined, res, exportStatusSchema);
  }

  /** The user's export (auth answers 404 for another user's). */
  async exportStatus(userId: string, exportId: string, res: Response): Promise<z.output<typeof exportStatusSchema>> {
    const path = `/internal/v1/users/${encodeURIComponent(userId)}/exports/${encodeURIComponent(exportId)}`;
    return checked(exportStatusSchema, (await this.send('GET', path, undefined, res)).body, 'GET /internal/v1/users/{userId}/exports/{exportId}');
  }

  /** The export's zip, streamed with its Content-Disposition (auth answers 409 before it is ready, 410 once expired). */
  async exportArchive(userId: string, exportId: string, res: Response): Promise<void> {
    const path = `/internal/v1/users/${encodeURIComponent(userId)}/exports/${encodeURIComponent(exportId)}/archive`;
    return this.upstream.pipe({ method: 'GET', path, authorization: `Bearer ${await this.serviceToken()}` }, res);
  }

  /** An admin's own read of auth's internal API (auth checks the admin's token, not ours), piped. */
  pipeAsCaller(path: string, authorization: string, res: Response): Promise<void> {
    return this.upstream.pipe({ method: 'GET', path, authorization }, res);
  }

  /** Signing-key rotation: an admin's own call (auth checks the admin's token, not ours), piped. */
  rotateKeys(authorization: string, res: Response): Promise<void> {
    return this.upstream.pipe({ method: 'POST', path: '/internal/v1/keys/rotate', authorization }, res);
  }

  /** Streams `/oauth/token`'s answer (tokens or an RFC 6749 error) to the client. */
  token(body: Record<string, string>, res: Response): Promise<void> {
    return this.upstream.pipe({ method: 'POST', path: '/oauth/token', body }, res);
  }

  private async post<S extends z.ZodType>(path: string, body: unknown, res: Response, schema: S): Promise<z.output<S>> {
    return checked(schema, (await this.send('POST', path, body, res)).body, `POST ${path}`);
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, res: Response) {
    const authorization = `Bearer ${await this.serviceToken()}`;
    return this.upstream.json<unknown>({ method, path, authorization, ...(body === undefined ? {} : { body }) }, res);
  }
}

function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new GatewayError('GATEWAY_UPSTREAM_FAILED', `auth's answer to ${what} does not match its contract`, { cause: parsed.error });
  return parsed.data;
}
