import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { IntegrationsDatabase } from '../../db/database';
import { IntegrationsError } from '../../errors';
import { PROVIDERS, type Provider } from '../connectors/connector';
import type { OAuthClient } from '../oauth/oauth-client';
import { replaceBusyTimes } from '../tasks/busy-times.repository';
import { deleteAllOfConnection } from '../tasks/source-tasks.repository';
import type { TaskEventSink } from '../tasks/task-events';
import type { TokenVault } from '../vault/token-vault';
import { connectionView, providerLabel, type ConnectionView } from './connection-view';
import { activateConnection, countConnections, findConnection, listConnections, requestSyncNow } from './connections.repository';
import { assertFetchable, normaliseFeedUrl } from './feed-url';

export interface ConnectionsDeps {
  db: Kysely<IntegrationsDatabase>;
  vault: TokenVault;
  oauth: ReadonlyMap<Provider, OAuthClient>;
  enqueue: TaskEventSink;
  clock: () => Date;
  log: Logger;
  maxFeedsPerUser: number;
  allowPrivateFeeds: boolean;
  /** Wakes the sync scheduler (sync now, a new feed). */
  poke: () => void;
}

/** A source a user can connect, and whether this deployment can. */
export interface ProviderView {
  provider: Provider;
  name: string;
  /** `oauth`: connect through the provider's consent page; `url`: paste a feed URL. */
  connect: 'oauth' | 'url';
  available: boolean;
}

const notFound = (id: string) => new IntegrationsError('INTEGRATIONS_CONNECTION_NOT_FOUND', `you have no connection ${id}`);

/**
 * The user's connections: list them, add a calendar feed, sync one now, disconnect one (revoking
 * at the provider where it can, deleting the tokens, and deleting its tasks downstream).
 *
 * @example
 * const connections = createConnectionsService(deps);
 * await connections.addFeed('ada', 'webcal://calendar.example/ada.ics', 'Europe/Berlin');
 */
export function createConnectionsService(deps: ConnectionsDeps) {
  async function owned(userId: string, connectionId: string) {
    const row = await findConnection(deps.db, userId, connectionId);
    if (!row || row.status === 'disconnected') throw notFound(connectionId);
    return row;
  }

  return {
    providers(): ProviderView[] {
      return PROVIDERS.map((provider) => ({
        provider,
        name: providerLabel(provider),
        connect: provider === 'ics' ? 'url' : 'oauth',
        available: provider === 'ics' || deps.oauth.has(provider),
      }));
    },

    async list(userId: string): Promise<ConnectionView[]> {
      return (await listConnections(deps.db, userId)).map(connectionView);
    },

    async get(userId: string, connectionId: string): Promise<ConnectionView> {
      return connectionView(await owned(userId, connectionId));
    },

    async addFeed(userId: string, rawUrl: string, timeZone: string): Promise<ConnectionView> {
      const url = normaliseFeedUrl(rawUrl);
      await assertFetchable(url, deps.allowPrivateFeeds);
      if ((await countConnections(deps.db, userId, 'ics')) >= deps.maxFeedsPerUser) {
        throw new IntegrationsError('INTEGRATIONS_LIMIT_REACHED', `you can add at most ${deps.maxFeedsPerUser} calendar feeds; remove one first`);
      }
      const accountKey = createHash('sha256').update(url.href).digest('hex');
      const row = await activateConnection(deps.db, { connectionId: randomUUID(), userId, provider: 'ics', accountKey, settings: { url: url.href, timeZone }, now: deps.clock() });
      deps.poke();
      return connectionView(row);
    },

    async syncNow(userId: string, connectionId: string): Promise<ConnectionView> {
      const row = await owned(userId, connectionId);
      if (row.status === 'reauth_required') {
        throw new IntegrationsError('INTEGRATIONS_CONNECT_FAILED', `${providerLabel(row.provider)} needs you to connect it again before it can sync`);
      }
      await requestSyncNow(deps.db, userId, connectionId, deps.clock());
      deps.poke();
      return connectionView(await owned(userId, connectionId));
    },

    /** Returns whether the provider confirmed the revocation (false: it could not be reached; our copy is deleted regardless). */
    async disconnect(userId: string, connectionId: string): Promise<{ revokedAtProvider: boolean }> {
      const row = await owned(userId, connectionId);
      const client = deps.oauth.get(row.provider);
      const tokens = client ? await deps.vault.readTokens(deps.db, connectionId).catch(() => undefined) : undefined;
      let revokedAtProvider = false;
      if (client?.registration.descriptor.revoke && tokens) {
        const { clientId, clientSecret } = client.registration;
        revokedAtProvider = await client.registration.descriptor
          .revoke({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }, { clientId, clientSecret })
          .then(() => true)
          .catch((err: unknown) => {
            deps.log.warn({ err, connectionId, provider: row.provider }, 'revoking at the provider failed; the tokens are deleted here anyway');
            return false;
          });
      }
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock();
        await deps.vault.deleteTokens(trx, connectionId);
        await deleteAllOfConnection(trx, deps.enqueue, connectionId, now);
        if (row.busy_count > 0) await replaceBusyTimes(trx, deps.enqueue, { connectionId, userId }, [], { start: now, end: now });
        await trx
          .updateTable('connections')
          .set({ status: 'disconnected', cursor: null, complete_run: null, next_sync_at: null, lease_owner: null, lease_until: null, item_count: 0, busy_count: 0, last_error: null, updated_at: now })
          .where('connection_id', '=', connectionId)
          .execute();
      });
      return { revokedAtProvider };
    },
  };
}

export type ConnectionsService = ReturnType<typeof createConnectionsService>;
