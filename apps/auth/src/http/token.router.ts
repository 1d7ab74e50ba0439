import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import { HttpProblem, toProblem } from '@oo/http';
import { AuthError } from '../errors';
import { nativeGrants } from '../features/native-apps/native-grants';
import { clientCredentialsGrant } from '../features/service-clients/client-credentials.grant';
import type { TokenGrant, TokenRequestParams } from '../features/tokens/token-grant';
import type { AuthContext } from '../service';

// RFC 6749 §5.2's `error` for each of our codes; any other 4xx (a body that will not parse, one
// too large) is the client's malformed request.
const OAUTH_ERRORS: Record<string, string> = {
  AUTH_INVALID_CLIENT: 'invalid_client',
  AUTH_INVALID_GRANT: 'invalid_grant',
  AUTH_INVALID_REQUEST: 'invalid_request',
  AUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
};

const grants: Readonly<Record<string, TokenGrant>> = { client_credentials: clientCredentialsGrant, ...nativeGrants };

function decodeCredential(part: string): string {
  // RFC 6749 §2.3.1: id and secret are form-encoded before they go into Basic.
  return decodeURIComponent(part.replace(/\+/g, ' '));
}

/** HTTP Basic client credentials, or undefined without a Basic header. */
function basicAuthOf(req: Request): { clientId: string; clientSecret: string } | undefined {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(header);
  const decoded = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new AuthError('AUTH_INVALID_CLIENT', 'the Authorization header is not HTTP Basic client credentials');
  try {
    return { clientId: decodeCredential(decoded.slice(0, colon)), clientSecret: decodeCredential(decoded.slice(colon + 1)) };
  } catch (err) {
    throw new AuthError('AUTH_INVALID_CLIENT', 'the client credentials are not form-encoded', { cause: err });
  }
}

/** The request's parameters as strings; anything else (a repeated or nested parameter) is invalid_request (§3.2). */
function paramsOf(req: Request): TokenRequestParams {
  const body: unknown = req.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AuthError('AUTH_INVALID_REQUEST', 'send the parameters as application/x-www-form-urlencoded or a JSON object');
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new AuthError('AUTH_INVALID_REQUEST', `parameter ${name} must be given once, as a string`);
    params[name] = value;
  }
  return params;
}

// The kit renders ServiceErrors as problem+json; here the problem also carries RFC 6749's `error`
// (and `error_description`), so OAuth clients understand it too.
const oauthProblems: ErrorRequestHandler = (err: unknown, _req, _res, next) => {
  const problem = toProblem(err);
  if (problem.status >= 500) return next(problem);
  const error = OAUTH_ERRORS[problem.code] ?? 'invalid_request';
  const headers = error === 'invalid_client' ? { ...problem.headers, 'WWW-Authenticate': 'Basic realm="oo", charset="UTF-8"' } : problem.headers;
  const extra = { ...problem.extra, error, ...(problem.detail === undefined ? {} : { error_description: problem.detail }) };
  next(new HttpProblem(problem.status, { code: problem.code, title: problem.title, type: problem.type, detail: problem.detail, extra, headers, cause: err }));
};

/**
 * `POST /oauth/token` (RFC 6749 §3.2): form or JSON parameters, dispatched on `grant_type` to
 * `client_credentials` (services) and the native apps' grants. Never cached; failures are
 * problem+json that also carry `error` (`invalid_client` with a Basic challenge).
 *
 * @example
 * const routes = [wellKnownRouter(ctx), tokenRouter(ctx), internalRouter(ctx)];
 */
export function tokenRouter(ctx: AuthContext): Router {
  const router = Router();
  router.post(
    '/oauth/token',
    (_req, res, next) => {
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      next();
    },
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 }),
    async (req, res) => {
      const basicAuth = basicAuthOf(req);
      const params = paramsOf(req);
      const grantType = params['grant_type'];
      if (!grantType) throw new AuthError('AUTH_INVALID_REQUEST', 'grant_type is required');
      const grant = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined;
      if (!grant) throw new AuthError('AUTH_UNSUPPORTED_GRANT_TYPE', `grant_type ${grantType} is not supported`);
      res.json(await grant(params, ctx, basicAuth ? { basicAuth } : {}));
    },
  );
  router.use('/oauth/token', oauthProblems);
  return router;
}
