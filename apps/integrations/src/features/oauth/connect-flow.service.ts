import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import { IntegrationsError } from '../../errors';
import { ConnectorError, type Provider } from '../connectors/connector';
import { activateConnection } from '../connections/connections.repository';
import { connectionView, type ConnectionView } from '../connections/connection-view';
import type { TokenVault } from '../vault/token-vault';
import type { OAuthClient } from './oauth-client';

export interface ConnectFlowDeps {
  db: Kysely<IntegrationsDatabase>;
  vault: TokenVault;
  oauth: ReadonlyMap<Provider, OAuthClient>;
  clock: () => Date;
  attemptTtlMs: number;
  /** A new or re-authorised connection syncs at once. */
  onConnected: () => void;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');
const verifierAad = (stateHash: string) => `oo.integrations.pkce:${stateHash}`;

function clientFor(deps: ConnectFlowDeps, provider: Provider): OAuthClient {
  const client = deps.oauth.get(provider);
  if (!client) throw new IntegrationsError('INTEGRATIONS_PROVIDER_UNAVAILABLE', `${provider} is not set up on this oO deployment (no OAuth client configured)`);
  return client;
}

/**
 * The OAuth connect flow: `start` remembers the attempt (the state's digest, the PKCE verifier
 * sealed in the user's vault, a deadline) and returns the provider's authorization URL;
 * `complete` takes the provider's callback for the same signed-in user, trades the code for
 * tokens, seals them and activates the connection (also how a `reauth_required` one recovers).
 *
 * @example
 * const { authorizationUrl } = await flow.start('ada', 'todoist', 'Europe/Berlin');
 * const connection = await flow.complete('ada', 'todoist', new URLSearchParams(req.query));
 */
export function createConnectFlow(deps: ConnectFlowDeps) {
  return {
    async start(userId: string, provider: Provider, timeZone: string): Promise<{ authorizationUrl: string; expiresAt: string }> {
      const client = clientFor(deps, provider);
      const state = randomBytes(32).toString('base64url');
      const verifier = client.registration.descriptor.pkce ? randomBytes(48).toString('base64url') : null;
      const stateHash = hashState(state);
      const expiresAt = new Date(deps.clock().getTime() + deps.attemptTtlMs);
      const sealed = verifier ? await deps.vault.sealFor(deps.db, userId, verifierAad(stateHash), verifier) : null;
      await deps.db.deleteFrom('oauth_attempts').where('expires_at', '<', deps.clock()).execute();
      await deps.db.insertInto('oauth_attempts').values({ state_hash: stateHash, user_id: userId, provider, sealed_verifier: sealed, time_zone: timeZone, expires_at: expiresAt }).execute();
      return { authorizationUrl: await client.authorizationUrl(state, verifier), expiresAt: expiresAt.toISOString() };
    },

    async complete(userId: string, provider: Provider, query: URLSearchParams): Promise<ConnectionView> {
      const client = clientFor(deps, provider);
      const state = query.get('state') ?? '';
      const stateHash = hashState(state);
      // Single use: the attempt is gone whatever the outcome.
      const attempt = await deps.db.deleteFrom('oauth_attempts').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
      if (!attempt || attempt.user_id !== userId || attempt.provider !== provider || attempt.expires_at < deps.clock()) {
        throw new IntegrationsError('INTEGRATIONS_CONNECT_FAILED', `this ${provider} callback does not match a connect attempt of yours that is still open; start connecting again`);
      }
      if (query.get('error')) {
        throw new IntegrationsError('INTEGRATIONS_CONNECT_FAILED', `${client.registration.descriptor.displayName} did not grant access (${query.get('error')})`);
      }
      const verifier = attempt.sealed_verifier ? ((await deps.vault.openFor(deps.db, userId, verifierAad(stateHash), attempt.sealed_verifier)) ?? null) : null;
      const tokens = await client.exchangeCode(query, { state, codeVerifier: verifier }).catch((error: unknown) => {
        if (error instanceof ConnectorError && error.failure === 'auth') throw new IntegrationsError('INTEGRATIONS_CONNECT_FAILED', error.message, { cause: error });
        throw new IntegrationsError('INTEGRATIONS_PROVIDER_FAILED', error instanceof Error ? error.message : String(error), { cause: error });
      });
      const row = await deps.db.transaction().execute(async (trx) => {
        const conn = await activateConnection(trx, { connectionId: randomUUID(), userId, provider, accountKey: '', settings: { timeZone: attempt.time_zone }, now: deps.clock() });
        await deps.vault.storeTokens(trx, userId, conn.connection_id, tokens);
        return conn;
      });
      deps.onConnected();
      return connectionView(row);
    },
  };
}

export type ConnectFlow = ReturnType<typeof createConnectFlow>;
