import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import type { NormalisedTask, TaskChange } from '../connectors/connector';
import { enqueueTaskDeleted, enqueueTaskUpserted, type TaskEventSink } from './task-events';
import type { TaskRow } from './tasks.table';

type Trx = Transaction<IntegrationsDatabase>;

/** The connection a page of changes belongs to. */
export interface ChangeTarget {
  connectionId: string;
  userId: string;
  provider: string;
}

export interface AppliedChanges {
  upserted: number;
  deleted: number;
  unchanged: number;
}

function sameTask(row: TaskRow, task: NormalisedTask): boolean {
  return (
    row.deleted_at === null &&
    row.title === task.title &&
    row.priority === task.priority &&
    row.due_at?.getTime() === task.dueAt?.getTime() &&
    row.due_all_day === task.dueAllDay &&
    row.url === task.url &&
    row.estimated_minutes === task.estimatedMinutes
  );
}

/**
 * Applies one page of a source's changes in the caller's transaction: new and changed tasks are
 * written with a `signals.task.upserted`, gone ones marked deleted with a `signals.task.deleted`,
 * unchanged ones left alone (no event). `runId` marks what a complete listing saw, for
 * `deleteUnseen`. A task keeps its id across changes, deletions and coming back.
 *
 * @example
 * await applySourceChanges(trx, ctx.enqueue, { connectionId, userId, provider: 'todoist' }, page.changes, null, now);
 */
export async function applySourceChanges(
  trx: Trx,
  enqueue: TaskEventSink,
  target: ChangeTarget,
  changes: readonly TaskChange[],
  runId: string | null,
  now: Date,
): Promise<AppliedChanges> {
  const result: AppliedChanges = { upserted: 0, deleted: 0, unchanged: 0 };
  if (changes.length === 0) return result;
  const ids = [...new Set(changes.map((c) => (c.kind === 'upsert' ? c.task.externalId : c.externalId)))];
  const existing = new Map(
    (await trx.selectFrom('tasks').selectAll().where('connection_id', '=', target.connectionId).where(sql<boolean>`external_id = any(${ids}::text[])`).forUpdate().execute()).map((row) => [row.external_id, row]),
  );
  for (const change of changes) {
    if (change.kind === 'delete') {
      const row = existing.get(change.externalId);
      if (!row || row.deleted_at) continue;
      const gone = await trx.updateTable('tasks').set({ deleted_at: now, updated_at: now }).where('task_id', '=', row.task_id).returningAll().executeTakeFirstOrThrow();
      existing.set(change.externalId, gone);
      await enqueueTaskDeleted(trx, enqueue, gone, now);
      result.deleted += 1;
      continue;
    }
    const { task } = change;
    const row = existing.get(task.externalId);
    if (row && sameTask(row, task)) {
      if (runId && row.seen_in_run !== runId) await trx.updateTable('tasks').set({ seen_in_run: runId }).where('task_id', '=', row.task_id).execute();
      result.unchanged += 1;
      continue;
    }
    const values = {
      title: task.title,
      priority: task.priority,
      due_at: task.dueAt,
      due_all_day: task.dueAllDay,
      source_created_at: task.createdAt,
      source_updated_at: task.updatedAt,
      url: task.url,
      estimated_minutes: task.estimatedMinutes,
      completed_at: null,
      deleted_at: null,
      seen_in_run: runId,
      updated_at: now,
    };
    const written = row
      ? await trx.updateTable('tasks').set(values).where('task_id', '=', row.task_id).returningAll().executeTakeFirstOrThrow()
      : await trx
          .insertInto('tasks')
          .values({ ...values, task_id: randomUUID(), user_id: target.userId, connection_id: target.connectionId, source: target.provider, external_id: task.externalId })
          .returningAll()
          .executeTakeFirstOrThrow();
    existing.set(task.externalId, written);
    await enqueueTaskUpserted(trx, enqueue, written);
    result.upserted += 1;
  }
  return result;
}

/** After the last page of a complete listing: every live task of the connection it did not list is deleted. */
export async function deleteUnseen(trx: Trx, enqueue: TaskEventSink, connectionId: string, runId: string, now: Date): Promise<number> {
  const gone = await trx
    .updateTable('tasks')
    .set({ deleted_at: now, updated_at: now })
    .where('connection_id', '=', connectionId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('seen_in_run', 'is', null), eb('seen_in_run', '!=', runId)]))
    .returningAll()
    .execute();
  for (const row of gone) await enqueueTaskDeleted(trx, enqueue, row, now);
  return gone.length;
}

/** Every live task of a connection deleted (the user disconnected it). */
export async function deleteAllOfConnection(trx: Trx, enqueue: TaskEventSink, connectionId: string, now: Date): Promise<number> {
  const gone = await trx
    .updateTable('tasks')
    .set({ deleted_at: now, updated_at: now })
    .where('connection_id', '=', connectionId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .execute();
  for (const row of gone) await enqueueTaskDeleted(trx, enqueue, row, now);
  return gone.length;
}

/** How many live tasks the connection has. */
export async function countLiveTasks(trx: Trx, connectionId: string): Promise<number> {
  const row = await trx.selectFrom('tasks').select((eb) => eb.fn.countAll<string>().as('n')).where('connection_id', '=', connectionId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}
