import { sql, type Executor } from '@oo/db';
import type { AuthDatabase } from '../../db/database';
import type { ServiceClientEntry } from './service-clients-file';

/** Makes the table hold exactly `clients`; returns what was removed. */
export async function replaceServiceClients(db: Executor<AuthDatabase>, clients: readonly ServiceClientEntry[]): Promise<string[]> {
  if (clients.length > 0) {
    await db
      .insertInto('service_clients')
      .values(clients.map((c) => ({ client_id: c.clientId, secret_hash: c.secretDigest })))
      .onConflict((oc) =>
        oc.column('client_id').doUpdateSet({ secret_hash: (eb) => eb.ref('excluded.secret_hash'), updated_at: sql<Date>`now()` }).where('service_clients.secret_hash', '!=', (eb) => eb.ref('excluded.secret_hash')),
      )
      .execute();
  }
  let removal = db.deleteFrom('service_clients');
  if (clients.length > 0) removal = removal.where('client_id', 'not in', clients.map((c) => c.clientId));
  const removed = await removal.returning('client_id').execute();
  return removed.map((r) => r.client_id);
}

export async function findServiceClientDigest(db: Executor<AuthDatabase>, clientId: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('service_clients').select('secret_hash').where('client_id', '=', clientId).executeTakeFirst();
  return row?.secret_hash;
}
