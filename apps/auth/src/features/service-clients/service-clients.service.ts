import { inTransaction, type Executor, type Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { AuthDatabase } from '../../db/database';
import { AuthError } from '../../errors';
import { hashSecret } from '../sign-in/opaque-secret';
import { secretMatches } from './service-client-secret';
import { findServiceClientDigest, replaceServiceClients } from './service-client.repository';
import { readServiceClientsFile } from './service-clients-file';

/**
 * Makes `service_clients` what SERVICE_CLIENTS_FILE lists: new and changed clients upserted, the
 * ones no longer listed removed. Without a file the table is left as it is. A bad file stops the
 * start (`ServiceClientsFileError`): a half-read list would lock services out.
 *
 * @example
 * await syncServiceClients({ db: kit.db, log: kit.log }, kit.config.SERVICE_CLIENTS_FILE);
 */
export async function syncServiceClients(deps: { db: Kysely<AuthDatabase>; log: Logger }, file: string | undefined): Promise<void> {
  if (file === undefined) {
    deps.log.info('SERVICE_CLIENTS_FILE is not set: service clients left as they are');
    return;
  }
  const clients = await readServiceClientsFile(file);
  const removed = await inTransaction(deps.db, (trx) => replaceServiceClients(trx, clients));
  deps.log.info({ clients: clients.map((c) => c.clientId), removed }, 'service clients synced');
}

// Compared against when the client is unknown, so an unknown id costs what a wrong secret does.
const NO_CLIENT_DIGEST = hashSecret('no such client');

/**
 * Checks a service client's id and secret; both an unknown client and a wrong secret are
 * `AUTH_INVALID_CLIENT`, indistinguishably.
 *
 * @example
 * await authenticateServiceClient(db, 'gateway', secret); // resolves, or throws AuthError
 */
export async function authenticateServiceClient(db: Executor<AuthDatabase>, clientId: string, secret: string): Promise<void> {
  const stored = await findServiceClientDigest(db, clientId);
  const matches = secretMatches(secret, stored ?? NO_CLIENT_DIGEST);
  if (!stored || !matches) throw new AuthError('AUTH_INVALID_CLIENT', 'client authentication failed');
}
