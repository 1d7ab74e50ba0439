import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { RecommenderDatabase } from '../../db/database';
import { applyTaskDeletion } from '../../features/candidates/tasks.repository';

/** Projects `signals.task.deleted` as a tombstone in the candidate read model. */
export async function projectTaskDeleted(
  trx: Executor<RecommenderDatabase>,
  deletion: SubjectMessage<'signals.task.deleted'>,
  eventTime: Date | undefined,
): Promise<void> {
  const deletedAt = deletion.deletedAt ? timestampDate(deletion.deletedAt) : eventTime;
  if (!deletion.taskId || !deletion.userId || !deletedAt) throw new PermanentEventError(`task deletion ${deletion.taskId} lacks a task, a user or a time`);
  await applyTaskDeletion(trx, { taskId: deletion.taskId, userId: deletion.userId, source: deletion.source, deletedAt });
}
