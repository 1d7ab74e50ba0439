import { sql, type Executor, type Transaction } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import type { ConnectionRow } from '../connections/connections.table';

/**
 * Leases up to `limit` connections that are due, so that across every instance at most one sync
 * of a connection runs at a time. A lease that ran out (its worker died) can be taken again.
 *
 * @example
 * const due = await leaseDueConnections(db, 'integrations-7f3a', 4, 60_000);
 */
export async function leaseDueConnections(db: Executor<IntegrationsDatabase>, owner: string, limit: number, leaseMs: number): Promise<ConnectionRow[]> {
  const { rows } = await sql<ConnectionRow>`
    update connections set status = 'syncing', lease_owner = ${owner},
      lease_until = now() + ${leaseMs} * interval '1 millisecond', last_sync_at = now()
    where connection_id in (
      select connection_id from connections
      where status in ('active', 'error', 'syncing') and next_sync_at <= now()
        and (lease_until is null or lease_until < now())
      order by next_sync_at
      limit ${limit}
      for update skip locked)
    returning *`.execute(db);
  return rows;
}

/**
 * Locks the connection for a page's commit if this worker still holds its lease, and extends
 * the lease; undefined when the lease was lost (ran out and someone else took it), so the page
 * must not be committed.
 */
export async function holdLease(trx: Transaction<IntegrationsDatabase>, connectionId: string, owner: string, leaseMs: number): Promise<ConnectionRow | undefined> {
  const { rows } = await sql<ConnectionRow>`
    update connections set lease_until = now() + ${leaseMs} * interval '1 millisecond'
    where connection_id = ${connectionId} and lease_owner = ${owner} and status = 'syncing'
    returning *`.execute(trx);
  return rows[0];
}
