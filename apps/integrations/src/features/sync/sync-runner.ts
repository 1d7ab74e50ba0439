import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { IntegrationsDatabase } from '../../db/database';
import { ConnectorError, type Connector, type Provider } from '../connectors/connector';
import type { ConnectionRow } from '../connections/connections.table';
import { assertFetchable } from '../connections/feed-url';
import type { OAuthClient } from '../oauth/oauth-client';
import type { TokenVault } from '../vault/token-vault';
import { commitPage, recordFailure, type OutcomeDeps } from './sync-outcome';

export interface SyncRunnerDeps extends OutcomeDeps {
  db: Kysely<IntegrationsDatabase>;
  log: Logger;
  vault: TokenVault;
  connectors: ReadonlyMap<Provider, Connector>;
  oauth: ReadonlyMap<Provider, OAuthClient>;
  /** Pages one run may commit before it yields to other connections. */
  maxPagesPerRun: number;
  allowPrivateFeeds: boolean;
}

/** What one run did, for metrics and tests. */
export interface SyncRunResult {
  outcome: 'synced' | 'failed' | 'lease_lost';
  pages: number;
  upserted: number;
  deleted: number;
  failure?: ConnectorError['failure'];
}

const REFRESH_AHEAD_MS = 60_000;

function asConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  // A feed URL refused by policy is the user's to fix, not something a retry mends.
  if (error instanceof Error && (error as { code?: string }).code === 'INTEGRATIONS_FEED_URL_REJECTED') return new ConnectorError('invalid', error.message, { cause: error });
  return new ConnectorError('unavailable', 'the sync failed inside oO; it will be tried again', { cause: error });
}

/**
 * Runs one leased connection's sync: a valid access token (refreshed when it is about to expire,
 * or once when the source refuses it), then pages of changes from the connector, each committed
 * with its cursor, until the source has no more or the run's page budget is spent.
 *
 * @example
 * const result = await runSync(deps, leasedConnection);
 */
export async function runSync(deps: SyncRunnerDeps, conn: ConnectionRow): Promise<SyncRunResult> {
  const result: SyncRunResult = { outcome: 'synced', pages: 0, upserted: 0, deleted: 0 };
  const startedMs = Date.now();
  try {
    const connector = deps.connectors.get(conn.provider);
    if (!connector) throw new ConnectorError('invalid', `this deployment has no ${conn.provider} connector configured`);
    const settings = conn.settings as Record<string, string>;
    if (settings['url']) await assertFetchable(new URL(settings['url']), deps.allowPrivateFeeds);
    const token = await accessToken(deps, conn, false);
    let cursor = conn.cursor;
    let refreshed = token.refreshed;
    let accessTokenNow = token.accessToken;
    for (;;) {
      const request = { cursor, accessToken: accessTokenNow, settings, timeZone: settings['timeZone'] ?? 'UTC', now: deps.clock() };
      const page = await connector.listChanges(request).catch(async (error: unknown) => {
        if (!(error instanceof ConnectorError) || error.failure !== 'auth' || refreshed || accessTokenNow === null) throw error;
        // The source refused a token we thought valid (revoked early, clocks apart): one refresh, one retry.
        refreshed = true;
        accessTokenNow = (await accessToken(deps, conn, true)).accessToken;
        return connector.listChanges({ ...request, accessToken: accessTokenNow });
      });
      const last = result.pages + 1 >= deps.maxPagesPerRun;
      const applied = await commitPage(deps, conn, page, last);
      if (!applied) return { ...result, outcome: 'lease_lost' };
      result.pages += 1;
      result.upserted += applied.upserted;
      result.deleted += applied.deleted;
      cursor = page.cursor;
      if (!page.more || last) {
        deps.log.info({ connectionId: conn.connection_id, provider: conn.provider, pages: result.pages, upserted: result.upserted, deleted: result.deleted, ms: Date.now() - startedMs }, 'sync finished');
        return result;
      }
    }
  } catch (error) {
    const failure = asConnectorError(error);
    if (!(error instanceof ConnectorError)) deps.log.error({ err: error, connectionId: conn.connection_id }, 'a sync failed unexpectedly');
    else deps.log.info({ connectionId: conn.connection_id, provider: conn.provider, failure: failure.failure, status: failure.status }, failure.message);
    await recordFailure(deps, conn, failure);
    return { ...result, outcome: 'failed', failure: failure.failure };
  }
}

async function accessToken(deps: SyncRunnerDeps, conn: ConnectionRow, force: boolean): Promise<{ accessToken: string | null; refreshed: boolean }> {
  const client = deps.oauth.get(conn.provider);
  if (!client) return { accessToken: null, refreshed: false };
  const tokens = await deps.vault.readTokens(deps.db, conn.connection_id);
  if (!tokens) throw new ConnectorError('auth', `oO holds no credentials for ${client.registration.descriptor.displayName}; connect it again`);
  const expiring = tokens.expiresAt !== null && new Date(tokens.expiresAt).getTime() - REFRESH_AHEAD_MS <= deps.clock().getTime();
  if (!(force || expiring) || !tokens.refreshToken) return { accessToken: tokens.accessToken, refreshed: false };
  const fresh = await client.refresh(tokens.refreshToken);
  await deps.vault.storeTokens(deps.db, conn.user_id, conn.connection_id, fresh);
  return { accessToken: fresh.accessToken, refreshed: true };
}
