import { sql, type Executor } from '@oo/db';
import type { AuthDatabase, DeletionRequestsTable } from '../../db/database';

/** A deletion as its status shows it. */
export interface DeletionRow extends DeletionRequestsTable {
  receipts: { service: string; completed_at: Date }[];
}

export async function insertDeletionRequest(db: Executor<AuthDatabase>, row: DeletionRequestsTable): Promise<void> {
  await db.insertInto('deletion_requests').values(row).execute();
}

/** Stores a service's receipt; false when that service had already answered this request. */
export async function insertReceipt(db: Executor<AuthDatabase>, requestId: string, service: string, completedAt: Date): Promise<boolean> {
  const row = await db
    .insertInto('deletion_receipts')
    .values({ request_id: requestId, service, user_id: null, completed_at: completedAt })
    .onConflict((oc) => oc.columns(['request_id', 'service']).doNothing())
    .returning('service')
    .executeTakeFirst();
  return row !== undefined;
}

/** The pending request, locked until the transaction ends (two receipts at once complete it once). */
export async function lockPendingRequest(db: Executor<AuthDatabase>, requestId: string): Promise<DeletionRequestsTable | undefined> {
  return db.selectFrom('deletion_requests').selectAll().where('request_id', '=', requestId).where('completed_at', 'is', null).forUpdate().executeTakeFirst();
}

export async function receivedFrom(db: Executor<AuthDatabase>, requestId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('deletion_receipts').select('service').where('request_id', '=', requestId).execute();
  return new Set(rows.map((r) => r.service));
}

/** Marks the request done and forgets whose it was (the digest stays); receipts keep no user id. */
export async function markCompleted(db: Executor<AuthDatabase>, requestId: string, at: Date): Promise<void> {
  await db.updateTable('deletion_requests').set({ completed_at: at, user_id: null }).where('request_id', '=', requestId).execute();
  await db.updateTable('deletion_receipts').set({ user_id: null }).where('request_id', '=', requestId).execute();
}

/** The user's open request, if any (a second request while one is open answers with it). */
export async function openRequestOf(db: Executor<AuthDatabase>, userId: string): Promise<{ requestId: string; dueAt: Date } | undefined> {
  const row = await db.selectFrom('deletion_requests').select(['request_id', 'due_at']).where('user_id', '=', userId).where('completed_at', 'is', null).orderBy('requested_at').executeTakeFirst();
  return row && { requestId: row.request_id, dueAt: row.due_at };
}

function withReceipts(db: Executor<AuthDatabase>) {
  return db
    .selectFrom('deletion_requests as d')
    .selectAll('d')
    .select(sql<DeletionRow['receipts']>`coalesce((select json_agg(json_build_object('service', r.service, 'completed_at', r.completed_at) order by r.service) from deletion_receipts r where r.request_id = d.request_id), '[]'::json)`.as('receipts'));
}

export async function findDeletion(db: Executor<AuthDatabase>, requestId: string): Promise<DeletionRow | undefined> {
  return withReceipts(db).where('d.request_id', '=', requestId).executeTakeFirst();
}

/** Newest first; `status` narrows to pending, overdue (pending past its due date at `now`) or completed. */
export async function listDeletions(
  db: Executor<AuthDatabase>,
  options: { status?: 'pending' | 'overdue' | 'completed'; now: Date; limit: number; before?: { requestedAt: Date; requestId: string } },
): Promise<DeletionRow[]> {
  let query = withReceipts(db);
  if (options.status === 'completed') query = query.where('d.completed_at', 'is not', null);
  if (options.status === 'pending') query = query.where('d.completed_at', 'is', null);
  if (options.status === 'overdue') query = query.where('d.completed_at', 'is', null).where('d.due_at', '<', options.now);
  if (options.before) query = query.where(sql<boolean>`(d.requested_at, d.request_id) < (${options.before.requestedAt}, ${options.before.requestId})`);
  return query.orderBy('d.requested_at', 'desc').orderBy('d.request_id', 'desc').limit(options.limit).execute();
}

/** Open deletions, and those of them past their deadline at `now`. */
export async function countOpenDeletions(db: Executor<AuthDatabase>, now: Date): Promise<{ pending: number; overdue: number }> {
  const { rows } = await sql<{ pending: number; overdue: number }>`
    select count(*)::int as pending, (count(*) filter (where due_at < ${now}))::int as overdue
    from deletion_requests where completed_at is null`.execute(db);
  return rows[0] ?? { pending: 0, overdue: 0 };
}
