import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import { IntegrationsError } from '../../errors';
import type { Priority } from '../connectors/connector';
import { enqueueTaskDeleted, enqueueTaskUpserted, type TaskEventSink } from '../tasks/task-events';
import type { TaskRow } from '../tasks/tasks.table';

/** What a person writes for a task of their own. */
export interface ManualTaskInput {
  title: string;
  priority: Priority;
  dueAt: Date | null;
  dueAllDay: boolean;
  estimatedMinutes: number | null;
}

/** A task as the API shows it, whatever its source. */
export interface TaskView {
  id: string;
  source: string;
  title: string;
  priority: number;
  dueAt: string | null;
  dueAllDay: boolean;
  estimatedMinutes: number | null;
  url: string;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function taskView(row: TaskRow): TaskView {
  return {
    id: row.task_id,
    source: row.source,
    title: row.title,
    priority: row.priority,
    dueAt: row.due_at?.toISOString() ?? null,
    dueAllDay: row.due_all_day,
    estimatedMinutes: row.estimated_minutes,
    url: row.url,
    completedAt: row.completed_at?.toISOString() ?? null,
    createdAt: (row.source_created_at ?? row.created_at).toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface ManualTasksDeps {
  db: Kysely<IntegrationsDatabase>;
  enqueue: TaskEventSink;
  clock: () => Date;
  maxOpenTasks: number;
}

/**
 * Tasks a person adds by hand: each change is written with its event in one transaction, so the
 * recommender has it as soon as the outbox relay publishes (well within a second). Completing
 * or deleting one publishes `signals.task.deleted`, as for a task completed at its source.
 *
 * @example
 * const task = await manual.create('ada', { title: 'Call the bank', priority: 2, dueAt: null, dueAllDay: false, estimatedMinutes: 10 });
 */
export function createManualTasksService(deps: ManualTasksDeps) {
  const live = (userId: string, taskId: string) =>
    deps.db.selectFrom('tasks').selectAll().where('task_id', '=', taskId).where('user_id', '=', userId).where('deleted_at', 'is', null);

  async function manualTask(userId: string, taskId: string): Promise<TaskRow> {
    const row = await live(userId, taskId).executeTakeFirst();
    if (!row) throw new IntegrationsError('INTEGRATIONS_TASK_NOT_FOUND', `you have no open task ${taskId}`);
    if (row.source !== 'manual') throw new IntegrationsError('INTEGRATIONS_TASK_NOT_MANUAL', `task ${taskId} comes from ${row.source}; change it there`);
    return row;
  }

  async function close(userId: string, taskId: string, completed: boolean): Promise<TaskView> {
    await manualTask(userId, taskId);
    return deps.db.transaction().execute(async (trx) => {
      const now = deps.clock();
      const row = await trx
        .updateTable('tasks')
        .set({ deleted_at: now, updated_at: now, ...(completed ? { completed_at: now } : {}) })
        .where('task_id', '=', taskId)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new IntegrationsError('INTEGRATIONS_TASK_NOT_FOUND', `you have no open task ${taskId}`);
      await enqueueTaskDeleted(trx, deps.enqueue, row, now);
      return taskView(row);
    });
  }

  return {
    async create(userId: string, input: ManualTaskInput): Promise<TaskView> {
      return deps.db.transaction().execute(async (trx) => {
        // Serialises one user's creates, so the limit holds under concurrent requests.
        await sql`select pg_advisory_xact_lock(hashtext(${`manual-tasks:${userId}`}))`.execute(trx);
        const open = await trx.selectFrom('tasks').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('source', '=', 'manual').where('deleted_at', 'is', null).executeTakeFirstOrThrow();
        if (Number(open.n) >= deps.maxOpenTasks) throw new IntegrationsError('INTEGRATIONS_LIMIT_REACHED', `you can have at most ${deps.maxOpenTasks} open tasks of your own; complete or delete some first`);
        const taskId = randomUUID();
        const now = deps.clock();
        const row = await trx
          .insertInto('tasks')
          .values({
            task_id: taskId, user_id: userId, connection_id: null, source: 'manual', external_id: taskId, title: input.title, priority: input.priority,
            due_at: input.dueAt, due_all_day: input.dueAllDay, estimated_minutes: input.estimatedMinutes, source_created_at: now, source_updated_at: now,
            completed_at: null, deleted_at: null, seen_in_run: null, created_at: now, updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await enqueueTaskUpserted(trx, deps.enqueue, row);
        return taskView(row);
      });
    },

    async update(userId: string, taskId: string, changes: Partial<ManualTaskInput>): Promise<TaskView> {
      await manualTask(userId, taskId);
      return deps.db.transaction().execute(async (trx) => {
        const now = deps.clock();
        const row = await trx
          .updateTable('tasks')
          .set({
            ...(changes.title !== undefined ? { title: changes.title } : {}),
            ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
            ...(changes.dueAt !== undefined ? { due_at: changes.dueAt } : {}),
            ...(changes.dueAllDay !== undefined ? { due_all_day: changes.dueAllDay } : {}),
            ...(changes.estimatedMinutes !== undefined ? { estimated_minutes: changes.estimatedMinutes } : {}),
            source_updated_at: now,
            updated_at: now,
          })
          .where('task_id', '=', taskId)
          .where('deleted_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new IntegrationsError('INTEGRATIONS_TASK_NOT_FOUND', `you have no open task ${taskId}`);
        await enqueueTaskUpserted(trx, deps.enqueue, row);
        return taskView(row);
      });
    },

    complete: (userId: string, taskId: string) => close(userId, taskId, true),
    remove: (userId: string, taskId: string) => close(userId, taskId, false),

    /** The user's open tasks from every source, newest first, a page at a time. */
    async list(userId: string, options: { limit: number; source?: string; before?: string }): Promise<{ tasks: TaskView[]; nextCursor: string | null }> {
      let query = deps.db.selectFrom('tasks').selectAll().where('user_id', '=', userId).where('deleted_at', 'is', null);
      if (options.source) query = query.where('source', '=', options.source);
      if (options.before) {
        const [at, id] = Buffer.from(options.before, 'base64url').toString('utf8').split('|');
        const after = new Date(at ?? '');
        if (Number.isNaN(after.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) throw new IntegrationsError('INTEGRATIONS_BAD_CURSOR', 'this cursor was not handed out by this list; start from the first page');
        query = query.where(sql<boolean>`(created_at, task_id) < (${after}, ${id}::uuid)`);
      }
      const rows = await query.orderBy('created_at', 'desc').orderBy('task_id', 'desc').limit(options.limit + 1).execute();
      const page = rows.slice(0, options.limit);
      const lastRow = page[page.length - 1];
      const nextCursor = rows.length > options.limit && lastRow ? Buffer.from(`${lastRow.created_at.toISOString()}|${lastRow.task_id}`).toString('base64url') : null;
      return { tasks: page.map(taskView), nextCursor };
    },
  };
}

export type ManualTasksService = ReturnType<typeof createManualTasksService>;
