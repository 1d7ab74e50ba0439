import { z } from 'zod';
import { GatewayError } from '../errors';
import { clearCookie, readCookie, setLoginCookie, setSessionCookie } from '../features/session/cookies';
import { authorizeQuery, callbackQuery, refreshRequestSchema, sessionSchema, signInQuery, signOutRequestSchema, tokenRequestSchema, tokenResponseSchema } from '../schemas/auth.schemas';
import { caller } from './caller.middleware';
import { defineRoute, type AnyRoute } from './route-table';
import type { RouteDeps } from './route-deps';

const JSON_OR_FORM = ['application/json', 'application/x-www-form-urlencoded'] as const;
const redirect = (what: string) => ({ description: what, headers: { Location: 'Where the browser goes next' } });
const noContent = { 204: { description: 'Done' } };

/** Sign-in (web and native), the token endpoints, sign-out and the web session. */
export function authRoutes(deps: RouteDeps): AnyRoute[] {
  const { auth, cookies, sessions } = deps;
  return [
    defineRoute({
      method: 'get', path: '/v1/auth/sign-in', tag: 'auth', access: 'public', query: signInQuery,
      summary: 'Web sign-in: sets the login cookie and redirects to the identity provider',
      responses: { 302: redirect('To the identity provider') },
      async handle({ query }, res) {
        const attempt = await auth.signIn({ client: 'web', ...(query.return_to ? { returnTo: query.return_to } : {}) }, res);
        setLoginCookie(res, cookies, attempt.attemptId);
        res.redirect(302, attempt.authorizationUrl);
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/auth/authorize', tag: 'auth', access: 'public', query: authorizeQuery,
      summary: 'Native-app sign-in (RFC 8252, PKCE S256): like sign-in, ending at the loopback redirect',
      responses: { 302: redirect('To the identity provider') },
      async handle({ query }, res) {
        const attempt = await auth.signIn(
          {
            client: 'native',
            clientId: query.client_id,
            redirectUri: query.redirect_uri,
            codeChallenge: query.code_challenge,
            codeChallengeMethod: query.code_challenge_method,
            ...(query.state !== undefined ? { state: query.state } : {}),
          },
          res,
        );
        setLoginCookie(res, cookies, attempt.attemptId);
        res.redirect(302, attempt.authorizationUrl);
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/auth/callback', tag: 'auth', access: 'public', query: callbackQuery,
      summary: "The identity provider's redirect: web gets the session cookie (303 to returnTo), native its loopback redirect (302)",
      responses: { 302: redirect('Native: the loopback redirect with code and state'), 303: redirect('Web: returnTo, signed in') },
      async handle(_input, res, req) {
        const attemptId = readCookie(req, cookies.login);
        if (!attemptId) throw new GatewayError('GATEWAY_SIGN_IN_FAILED', 'no sign-in is in progress in this browser (the login cookie is missing or expired)');
        const callbackUrl = new URL(req.originalUrl, deps.publicUrl).toString();
        const result = await auth.callback(attemptId, callbackUrl, res);
        clearCookie(res, cookies, cookies.login);
        if (result.kind === 'native') return res.redirect(302, result.redirectTo);
        setSessionCookie(res, cookies, result.session.sessionToken, new Date(result.session.absoluteExpiresAt));
        res.redirect(303, result.returnTo);
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/auth/token', tag: 'auth', access: 'public',
      body: { schema: tokenRequestSchema, contentTypes: JSON_OR_FORM },
      summary: "Native apps' RFC 6749 token endpoint (authorization_code with PKCE, refresh_token)",
      responses: { 200: { description: 'Tokens', schema: tokenResponseSchema } },
      async handle({ body }, res) {
        res.setHeader('Cache-Control', 'no-store');
        await auth.token(body, res);
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/auth/refresh', tag: 'auth', access: 'public',
      body: { schema: refreshRequestSchema, contentTypes: ['application/json'] },
      summary: 'A new access token (and rotated refresh token) for a refresh token',
      responses: { 200: { description: 'Tokens', schema: tokenResponseSchema } },
      async handle({ body }, res) {
        res.setHeader('Cache-Control', 'no-store');
        await auth.token({ grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: body.client_id }, res);
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/auth/sign-out', tag: 'auth', access: 'user',
      body: { schema: signOutRequestSchema.optional(), contentTypes: ['application/json'], required: false },
      summary: 'Web: ends the session and clears its cookie. Native: ends the refresh token family given in the body',
      responses: noContent,
      async handle({ body }, res) {
        const me = caller(res);
        if (me.session) {
          await auth.revokeSession(me.session.token, res);
          sessions.forget(me.session.token);
          clearCookie(res, cookies, cookies.session);
        } else {
          if (!body) throw new GatewayError('GATEWAY_REFRESH_TOKEN_REQUIRED', 'send { refresh_token, client_id } to sign an app out');
          await auth.revokeRefreshToken(body.refresh_token, body.client_id, res);
        }
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/auth/sign-out-everywhere', tag: 'auth', access: 'user',
      summary: 'Ends every session and refresh token family of the caller',
      responses: noContent,
      async handle(_input, res) {
        const me = caller(res);
        await auth.revokeUser(me.userId, res);
        sessions.revoke({ userId: me.userId });
        if (me.session) clearCookie(res, cookies, cookies.session);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/auth/session', tag: 'auth', access: 'user',
      summary: 'The web session: who is signed in and the CSRF token to send on unsafe requests',
      responses: { 200: { description: 'The session', schema: sessionSchema } },
      async handle(_input, res) {
        const me = caller(res);
        if (!me.session) throw new GatewayError('GATEWAY_SESSION_REQUIRED', 'this route is for the web session cookie; apps know their tokens');
        res.setHeader('Cache-Control', 'no-store');
        res.json(sessionSchema.parse({ userId: me.userId, sessionId: me.session.sessionId, csrfToken: me.session.csrfToken, expiresAt: new Date(me.session.expiresAtMs).toISOString() }) satisfies z.output<typeof sessionSchema>);
      },
    }),
  ];
}
