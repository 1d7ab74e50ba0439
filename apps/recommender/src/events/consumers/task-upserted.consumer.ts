import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { RecommenderDatabase } from '../../db/database';
import { applyTaskUpsert } from '../../features/candidates/tasks.repository';

type Upserted = SubjectMessage<'signals.task.upserted'>;

// The wire scale is 1 (most urgent) … 4 (normal, also "none"); anything else is treated as normal.
function wirePriority(priority: number): number {
  return priority >= 1 && priority <= 4 ? priority : 4;
}

/**
 * Projects `signals.task.upserted` into the candidate read model. `eventTime` (ce-time) orders
 * the upsert when the producer left `updated_at` unset.
 */
export async function projectTaskUpserted(trx: Executor<RecommenderDatabase>, task: Upserted, eventTime: Date | undefined): Promise<void> {
  const updatedAt = task.updatedAt ? timestampDate(task.updatedAt) : eventTime;
  if (!task.taskId || !task.userId || !updatedAt) throw new PermanentEventError(`task upsert ${task.taskId} lacks a task, a user or a time`);
  await applyTaskUpsert(trx, {
    taskId: task.taskId,
    userId: task.userId,
    source: task.source,
    title: task.title,
    dueAt: task.dueAt ? timestampDate(task.dueAt) : null,
    priority: wirePriority(task.priority),
    createdAt: task.createdAt ? timestampDate(task.createdAt) : updatedAt,
    completedAt: task.completedAt ? timestampDate(task.completedAt) : null,
    url: task.url,
    updatedAt,
  });
}
