import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { TaskDeletedSchema, TaskUpsertedSchema, type subjects } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import type { Enqueue } from '@oo/service';
import type { IntegrationsDatabase } from '../../db/database';
import type { TaskRow } from './tasks.table';

/** What writing a task's events needs: the kit's outbox writer. */
export type TaskEventSink = Enqueue<typeof subjects>;

const stamp = (date: Date | null) => (date ? timestampFromDate(date) : undefined);

/**
 * Announces a task's current state. `updated_at` is when we saw this version (the row's
 * `updated_at`), not the source's own time: consumers order a task's upserts and deletions by
 * it, and only our clock is monotonic across a deletion and a task coming back.
 */
export function enqueueTaskUpserted(trx: Transaction<IntegrationsDatabase>, enqueue: TaskEventSink, row: TaskRow): Promise<unknown> {
  const message = create(TaskUpsertedSchema, {
    taskId: row.task_id,
    userId: row.user_id,
    source: row.source,
    externalId: row.external_id,
    title: row.title,
    dueAt: stamp(row.due_at),
    dueAllDay: row.due_all_day,
    priority: row.priority,
    createdAt: stamp(row.source_created_at ?? row.created_at),
    completedAt: stamp(row.completed_at),
    url: row.url,
    updatedAt: stamp(row.updated_at),
    estimatedMinutes: row.estimated_minutes ?? 0,
  });
  return enqueue(trx, 'signals.task.upserted', message, { userId: row.user_id, time: row.updated_at });
}

/** Announces that a task is gone (deleted or completed at its source, or its source disconnected). */
export function enqueueTaskDeleted(trx: Transaction<IntegrationsDatabase>, enqueue: TaskEventSink, row: TaskRow, deletedAt: Date): Promise<unknown> {
  const message = create(TaskDeletedSchema, {
    taskId: row.task_id,
    userId: row.user_id,
    source: row.source,
    externalId: row.external_id,
    deletedAt: timestampFromDate(deletedAt),
  });
  return enqueue(trx, 'signals.task.deleted', message, { userId: row.user_id, time: deletedAt });
}
