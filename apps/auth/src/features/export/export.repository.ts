import { sql, type Executor } from '@oo/db';
import type { AuthDatabase, ExportFieldRow, ExportRequestsTable } from '../../db/database';

/** An export without its archive, with how many chunks of each service are in. */
export type ExportRow = Omit<ExportRequestsTable, 'archive' | 'received'> & {
  received: string[];
  chunks: { service: string; received: number; count: number }[];
};

/** One stored chunk of a part. */
export interface StoredChunk {
  service: string;
  chunk_index: number;
  chunk_count: number;
  data: Buffer;
  fields: ExportFieldRow[] | null;
}

export async function insertExport(db: Executor<AuthDatabase>, row: Omit<ExportRequestsTable, 'received'>): Promise<void> {
  await db.insertInto('export_requests').values(row).execute();
}

/** The user's export still collecting parts, if any (one at a time). */
export function collectingExportOf(db: Executor<AuthDatabase>, userId: string) {
  return db.selectFrom('export_requests').select(['export_id']).where('user_id', '=', userId).where('status', '=', 'collecting').executeTakeFirst();
}

export async function exportsStartedSince(db: Executor<AuthDatabase>, userId: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('export_requests')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('requested_at').as('oldest')])
    .where('user_id', '=', userId)
    .where('requested_at', '>', since)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), oldest: (row?.oldest as Date | null) ?? null };
}

/** The user's export, without the archive bytes; undefined for another user's. */
export function findExport(db: Executor<AuthDatabase>, userId: string, exportId: string): Promise<ExportRow | undefined> {
  return db
    .selectFrom('export_requests as e')
    .select(['e.export_id', 'e.user_id', 'e.status', 'e.contributors', 'e.received', 'e.requested_at', 'e.collect_by', 'e.ready_at', 'e.expires_at', 'e.failure', 'e.archive_bytes'])
    .select(
      sql<ExportRow['chunks']>`coalesce((select json_agg(json_build_object('service', s.service, 'received', s.received, 'count', s.count) order by s.service)
        from (select service, count(*)::int as received, max(chunk_count) as count from export_parts p where p.export_id = e.export_id group by service) s), '[]'::json)`.as('chunks'),
    )
    .where('e.export_id', '=', exportId)
    .where('e.user_id', '=', userId)
    .executeTakeFirst();
}

export function archiveOf(db: Executor<AuthDatabase>, userId: string, exportId: string) {
  return db.selectFrom('export_requests').select(['status', 'archive', 'expires_at']).where('export_id', '=', exportId).where('user_id', '=', userId).executeTakeFirst();
}

/** The export if it is still collecting, locked until the transaction ends (two last parts at once complete it once). */
export function lockCollectingExport(db: Executor<AuthDatabase>, exportId: string) {
  return db.selectFrom('export_requests').select(['export_id', 'user_id', 'contributors', 'received', 'requested_at']).where('export_id', '=', exportId).where('status', '=', 'collecting').forUpdate().executeTakeFirst();
}

/** Stores a chunk; a redelivered or repeated one changes nothing. */
export async function insertChunk(db: Executor<AuthDatabase>, exportId: string, chunk: StoredChunk, at: Date): Promise<void> {
  await db
    .insertInto('export_parts')
    .values({ export_id: exportId, ...chunk, fields: chunk.fields && JSON.stringify(chunk.fields), received_at: at })
    .onConflict((oc) => oc.columns(['export_id', 'service', 'chunk_index']).doNothing())
    .execute();
}

/** How many chunks of `service` are in, and what total they announce (differing totals are a broken part). */
export async function chunkTally(db: Executor<AuthDatabase>, exportId: string, service: string): Promise<{ received: number; counts: number[]; bytes: number }> {
  const rows = await db
    .selectFrom('export_parts')
    .select((eb) => [eb.fn.countAll<number>().as('received'), sql<number[]>`array_agg(distinct chunk_count)`.as('counts'), sql<string>`coalesce(sum(length(data)), 0)`.as('bytes')])
    .where('export_id', '=', exportId)
    .where('service', '=', service)
    .executeTakeFirst();
  return { received: Number(rows?.received ?? 0), counts: rows?.counts ?? [], bytes: Number(rows?.bytes ?? 0) };
}

export async function partsBytes(db: Executor<AuthDatabase>, exportId: string): Promise<number> {
  const row = await db.selectFrom('export_parts').select(sql<string>`coalesce(sum(length(data)), 0)`.as('bytes')).where('export_id', '=', exportId).executeTakeFirst();
  return Number(row?.bytes ?? 0);
}

export async function markReceived(db: Executor<AuthDatabase>, exportId: string, service: string): Promise<string[]> {
  const row = await db
    .updateTable('export_requests')
    .set({ received: sql`array(select distinct unnest(received || array[${service}]::text[]) order by 1)` })
    .where('export_id', '=', exportId)
    .returning('received')
    .executeTakeFirstOrThrow();
  return row.received;
}

export function chunksOf(db: Executor<AuthDatabase>, exportId: string): Promise<StoredChunk[]> {
  return db.selectFrom('export_parts').select(['service', 'chunk_index', 'chunk_count', 'data', 'fields']).where('export_id', '=', exportId).orderBy('service').orderBy('chunk_index').execute();
}

/** The archive is in: the parts it was built from go. */
export async function markReady(db: Executor<AuthDatabase>, exportId: string, archive: Buffer, at: Date, expiresAt: Date): Promise<void> {
  await db.updateTable('export_requests').set({ status: 'ready', archive, archive_bytes: archive.length, ready_at: at, expires_at: expiresAt }).where('export_id', '=', exportId).execute();
  await db.deleteFrom('export_parts').where('export_id', '=', exportId).execute();
}

export async function markFailed(db: Executor<AuthDatabase>, exportId: string, failure: string): Promise<void> {
  await db.updateTable('export_requests').set({ status: 'failed', failure }).where('export_id', '=', exportId).where('status', '=', 'collecting').execute();
  await db.deleteFrom('export_parts').where('export_id', '=', exportId).execute();
}

/**
 * One pass of the expiry: archives past their time are deleted (the row stays, so a download
 * answers 410 rather than 404), exports still collecting past their deadline fail, and rows
 * expired more than `forgetAfterMs` ago go entirely.
 */
export async function expireExports(db: Executor<AuthDatabase>, now: Date, forgetAfterMs: number): Promise<{ expired: number; failed: number; forgotten: number }> {
  const expired = await db.updateTable('export_requests').set({ status: 'expired', archive: null }).where('status', '=', 'ready').where('expires_at', '<=', now).executeTakeFirst();
  const stale = await db.updateTable('export_requests').set({ status: 'failed', failure: 'not every service sent its part in time' }).where('status', '=', 'collecting').where('collect_by', '<=', now).returning('export_id').execute();
  if (stale.length > 0) await db.deleteFrom('export_parts').where('export_id', 'in', stale.map((r) => r.export_id)).execute();
  const forgotten = await db
    .deleteFrom('export_requests')
    .where('status', 'in', ['expired', 'failed'])
    .where(sql<boolean>`coalesce(expires_at, collect_by) < ${new Date(now.getTime() - forgetAfterMs)}`)
    .executeTakeFirst();
  return { expired: Number(expired.numUpdatedRows), failed: stale.length, forgotten: Number(forgotten.numDeletedRows) };
}

/** Everything auth holds of the user's exports (account deletion). */
export async function eraseExportsOf(db: Executor<AuthDatabase>, userId: string): Promise<void> {
  await db.deleteFrom('export_requests').where('user_id', '=', userId).execute();
}
