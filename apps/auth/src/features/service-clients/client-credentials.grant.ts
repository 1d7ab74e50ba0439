import { AuthError } from '../../errors';
import type { TokenGrant } from '../tokens/token-grant';
import { authenticateServiceClient } from './service-clients.service';

/**
 * `grant_type=client_credentials` (RFC 6749 §4.4): a service authenticates with HTTP Basic or
 * `client_id` + `client_secret` in the body (not both, §2.3) and gets a service token
 * (`token_use: service`, `sub` = its client id). `scope` is accepted and ignored: a service's
 * rights are the routes that name it.
 *
 * @example
 * const grants: Record<string, TokenGrant> = { client_credentials: clientCredentialsGrant };
 */
export const clientCredentialsGrant: TokenGrant = async (params, ctx, request) => {
  const inBody = params['client_id'] !== undefined || params['client_secret'] !== undefined;
  if (request.basicAuth && inBody) {
    throw new AuthError('AUTH_INVALID_REQUEST', 'authenticate the client with HTTP Basic or with client_id and client_secret, not both');
  }
  const clientId = request.basicAuth?.clientId ?? params['client_id'];
  const secret = request.basicAuth?.clientSecret ?? params['client_secret'];
  if (!clientId || !secret) throw new AuthError('AUTH_INVALID_CLIENT', 'client authentication is required');
  await authenticateServiceClient(ctx.db, clientId, secret);
  const { token, expiresAt } = await ctx.tokens.mintServiceToken(clientId);
  return { access_token: token, token_type: 'Bearer', expires_in: secondsUntil(expiresAt, ctx.clock()) };
};

function secondsUntil(at: Date, now: Date): number {
  return Math.max(0, Math.floor((at.getTime() - now.getTime()) / 1000));
}
