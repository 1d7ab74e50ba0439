import { fixedSql, sql, type Executor, type Selectable } from '@oo/db';
import type { RecommenderDatabase, TasksTable } from '../../db/database';
import { DEFAULT_TIMEZONE } from './timezones.repository';

export type TaskRow = Selectable<TasksTable>;

/** The latest state of a task as an upsert event carries it. */
export interface TaskUpsert {
  taskId: string;
  userId: string;
  source: string;
  title: string;
  dueAt: Date | null;
  priority: number;
  createdAt: Date;
  completedAt: Date | null;
  url: string;
  updatedAt: Date;
}

/**
 * Stores a task unless what is stored is newer: a live row changes when the upsert is at least as
 * new, a tombstone only when the upsert is strictly newer than the deletion (a late copy from
 * before the delete must not resurrect the task). Returns true when the row changed.
 */
export async function applyTaskUpsert(db: Executor<RecommenderDatabase>, task: TaskUpsert): Promise<boolean> {
  const row = {
    task_id: task.taskId,
    user_id: task.userId,
    source: task.source,
    title: task.title,
    due_at: task.dueAt,
    priority: task.priority,
    created_at: task.createdAt,
    completed_at: task.completedAt,
    url: task.url,
    version_at: task.updatedAt,
    deleted: false,
  };
  const result = await db
    .insertInto('tasks')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('task_id')
        .doUpdateSet({ ...row, task_id: undefined })
        .where('tasks.user_id', '=', task.userId)
        .where(sql<boolean>`(not tasks.deleted and tasks.version_at <= excluded.version_at) or (tasks.deleted and tasks.version_at < excluded.version_at)`),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Turns a task into a tombstone (keeping only its ids and the deletion time), unless it changed
 * after the deletion was observed. A deletion of an unknown task still leaves a tombstone, so an
 * older upsert delivered later stays buried. Returns true when the row changed.
 */
export async function applyTaskDeletion(
  db: Executor<RecommenderDatabase>,
  deletion: { taskId: string; userId: string; source: string; deletedAt: Date },
): Promise<boolean> {
  const tombstone = {
    task_id: deletion.taskId,
    user_id: deletion.userId,
    source: deletion.source,
    title: '',
    due_at: null,
    priority: 4,
    created_at: deletion.deletedAt,
    completed_at: null,
    url: '',
    version_at: deletion.deletedAt,
    deleted: true,
  };
  const result = await db
    .insertInto('tasks')
    .values(tombstone)
    .onConflict((oc) =>
      oc
        .column('task_id')
        .doUpdateSet({ title: '', due_at: null, url: '', deleted: true, version_at: sql`greatest(tasks.version_at, excluded.version_at)` })
        .where('tasks.user_id', '=', deletion.userId)
        .where(sql<boolean>`tasks.deleted or tasks.version_at <= excluded.version_at`),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** What a decision needs of an open task. */
export type OpenTask = Pick<TaskRow, 'task_id' | 'source' | 'title' | 'due_at' | 'priority' | 'created_at'>;

/**
 * Everything a decision reads from this schema, in one round trip: the user's timezone (`UTC`
 * until profile told us one) and their open tasks, most pressing first — earliest due (so
 * overdue first), then priority, then the oldest; tasks without a due date last.
 *
 * @example
 * const { timezone, tasks } = await decisionInputs(db, 'u1', 40);
 */
export async function decisionInputs(db: Executor<RecommenderDatabase>, userId: string, limit: number): Promise<{ timezone: string; tasks: OpenTask[] }> {
  // The one-row timezone side keeps the answer non-empty when the user has no open task.
  const { rows } = await fixedSql<{ timezone: string } & { [K in keyof OpenTask]: OpenTask[K] | null }>`
    select tz.timezone, t.task_id, t.source, t.title, t.due_at, t.priority, t.created_at
    from (select coalesce((select timezone from user_timezones where user_id = ${userId}), ${DEFAULT_TIMEZONE}) as timezone) tz
    left join lateral (
      select task_id, source, title, due_at, priority, created_at
      from tasks
      where user_id = ${userId} and not deleted and completed_at is null
      order by due_at asc nulls last, priority, created_at, task_id
      limit ${limit}
    ) t on true`.execute(db);
  const tasks: OpenTask[] = [];
  for (const row of rows) {
    if (row.task_id === null) continue;
    tasks.push({ task_id: row.task_id, source: row.source ?? '', title: row.title ?? '', due_at: row.due_at, priority: row.priority ?? 4, created_at: row.created_at ?? new Date(0) });
  }
  return { timezone: rows[0]?.timezone ?? DEFAULT_TIMEZONE, tasks };
}
