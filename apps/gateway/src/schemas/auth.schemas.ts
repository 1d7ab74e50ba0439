import { z } from 'zod';
import { isoDateTime, userId } from './common.schemas';
import { featuresSchema, preferencesSchema } from './profile.schemas';

// A path on this origin only: `//evil.example` and `/\evil` would leave it.
export const returnTo = z
  .string()
  .max(2048)
  .regex(/^\/(?![/\\])[^\s]*$/, 'must be a path on this site, starting with a single /');

export const signInQuery = z.object({ return_to: returnTo.optional().meta({ description: 'Where to land after sign-in (a path)' }) });

const loopback = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((u) => ['127.0.0.1', '[::1]', 'localhost'].includes(new URL(u).hostname), 'must be a loopback redirect (RFC 8252), e.g. http://127.0.0.1:53117/callback');

export const authorizeQuery = z.object({
  client_id: z.string().min(1).max(128),
  redirect_uri: loopback,
  code_challenge: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'must be an RFC 7636 code challenge'),
  code_challenge_method: z.literal('S256'),
  state: z.string().max(512).optional(),
  response_type: z.literal('code').optional(),
  scope: z.string().max(512).optional(),
});

/** What the identity provider sends back; the gateway passes the whole URL to auth, which checks it. */
export const callbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(4096).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

const tokenBase = { client_id: z.string().min(1).max(128) };

export const tokenRequestSchema = z
  .discriminatedUnion('grant_type', [
    z.object({
      grant_type: z.literal('authorization_code'),
      code: z.string().min(1).max(4096),
      code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'must be an RFC 7636 code verifier'),
      redirect_uri: z.string().min(1).max(2048),
      ...tokenBase,
    }),
    z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string().min(1).max(4096), ...tokenBase }),
  ])
  .meta({ id: 'TokenRequest', description: 'RFC 6749 token request (form-encoded or JSON) of a native app' });

export const refreshRequestSchema = z.strictObject({ refresh_token: z.string().min(1).max(4096), client_id: z.string().min(1).max(128) }).meta({ id: 'RefreshRequest' });

export const signOutRequestSchema = z
  .strictObject({ refresh_token: z.string().min(1).max(4096), client_id: z.string().min(1).max(128) })
  .meta({ id: 'SignOutRequest', description: 'Native apps: the refresh token whose family ends. Web sessions send no body.' });

export const tokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string().optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'TokenResponse' });

export const sessionSchema = z
  .object({
    userId,
    sessionId: z.string(),
    csrfToken: z.string().meta({ description: 'Send it as X-CSRF-Token on every unsafe request' }),
    expiresAt: isoDateTime.meta({ description: 'When the current access grant ends; the gateway renews it while the session lives' }),
  })
  .meta({ id: 'Session' });

export const meSchema = z
  .object({ id: userId, email: z.string().nullable(), displayName: z.string().nullable(), roles: z.array(z.string()), createdAt: isoDateTime })
  .catchall(z.unknown())
  .meta({ id: 'User' });

export const adminProfileSchema = z
  .object({ user: meSchema, preferences: preferencesSchema, features: featuresSchema })
  .meta({ id: 'AdminUserProfile' });

export const keyRotationSchema = z
  .object({ signingKid: z.string(), publishedKids: z.array(z.string()) })
  .meta({ id: 'KeyRotation', description: 'The key that signs from now on, and every key in the JWKS' });

/** auth's answers to the gateway's internal calls (README of apps/auth). */
export const signInAnswer = z.object({ attemptId: z.string(), authorizationUrl: z.string(), expiresAt: z.string() });
export const callbackAnswer = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('web'),
    returnTo: z.string(),
    session: z.object({ sessionToken: z.string(), sessionId: z.string(), csrfToken: z.string(), absoluteExpiresAt: z.string(), idleTimeoutSec: z.number() }),
  }),
  z.object({ kind: z.literal('native'), redirectTo: z.string() }),
]);
export const accessTokenAnswer = z.object({ accessToken: z.string(), expiresAt: z.string(), userId: z.string(), sessionId: z.string(), csrfToken: z.string() });
