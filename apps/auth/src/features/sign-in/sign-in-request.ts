import { HttpProblem, type FieldError } from '@oo/http';
import { z } from 'zod';

// Same-origin paths only: `//host` and `/\host` are other origins to a browser; so is `/<tab>/host`
// (browsers drop tabs and newlines), hence no control characters.
const hasControlCharacter = (value: string) => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const returnTo = z
  .string()
  .max(2048)
  .refine((v) => v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\') && !hasControlCharacter(v), 'must be a path on this site, starting with a single /');

const codeChallenge = z.string().regex(/^[A-Za-z0-9_-]{43,128}$/, 'must be 43 to 128 base64url characters (S256 of the code verifier)');

const webSignIn = z.strictObject({ client: z.literal('web'), returnTo: returnTo.default('/') });

const nativeSignIn = z.strictObject({
  client: z.literal('native'),
  clientId: z.string().min(1).max(128),
  redirectUri: z.string().max(2048),
  codeChallenge,
  codeChallengeMethod: z.literal('S256', 'only S256 is supported'),
  state: z
    .string()
    .max(1024)
    .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII')
    .optional(),
});

const signInBody = z.discriminatedUnion('client', [webSignIn, nativeSignIn], 'must be "web" or "native"');

export type SignInRequest = z.output<typeof signInBody>;
export type NativeSignInRequest = z.output<typeof nativeSignIn>;

/**
 * Whether a native app's redirect is a loopback one that RFC 8252 allows: `http` to the literal
 * `127.0.0.1` or `[::1]` with the app's port (§7.3); `localhost` is refused (§8.3: it may not
 * resolve to the loopback interface), and no fragment (RFC 6749 §3.1.2).
 *
 * @example
 * isLoopbackRedirect('http://127.0.0.1:51004/callback'); // true
 * isLoopbackRedirect('http://localhost:51004/callback'); // false
 */
export function isLoopbackRedirect(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === '[::1]') &&
    url.port !== '' &&
    url.username === '' &&
    url.password === '' &&
    url.hash === '' &&
    !value.includes('#')
  );
}

function invalidRequest(errors: FieldError[]): HttpProblem {
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new HttpProblem(400, { code: 'AUTH_INVALID_REQUEST', detail, extra: { errors } });
}

/**
 * Parses the body of `POST /internal/v1/sign-in`; a bad one is a 400 AUTH_INVALID_REQUEST whose
 * `errors` name each field (an unknown native client, a redirect that is not loopback, no PKCE).
 *
 * @example
 * const request = parseSignInRequest(req.body, ctx.config.NATIVE_CLIENT_IDS);
 */
export function parseSignInRequest(body: unknown, nativeClientIds: readonly string[]): SignInRequest {
  const parsed = signInBody.safeParse(body);
  if (!parsed.success) {
    throw invalidRequest(parsed.error.issues.map((issue) => ({ path: ['body', ...issue.path.map(String)].join('.'), message: issue.message })));
  }
  const request = parsed.data;
  if (request.client === 'native') {
    const errors: FieldError[] = [];
    if (!nativeClientIds.includes(request.clientId)) errors.push({ path: 'body.clientId', message: 'is not a registered native client' });
    if (!isLoopbackRedirect(request.redirectUri)) {
      errors.push({ path: 'body.redirectUri', message: 'must be a loopback redirect: http://127.0.0.1:<port>/… or http://[::1]:<port>/…' });
    }
    if (errors.length > 0) throw invalidRequest(errors);
  }
  return request;
}
