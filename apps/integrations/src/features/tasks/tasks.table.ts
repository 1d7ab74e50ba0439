import type { Generated, Selectable } from '@oo/db';

/** A task seen at a source, or a manual one; `deleted_at` set once it is gone there. */
export interface TasksTable {
  task_id: string;
  user_id: string;
  connection_id: string | null;
  source: string;
  external_id: string;
  title: string;
  priority: number;
  due_at: Date | null;
  due_all_day: Generated<boolean>;
  source_created_at: Date | null;
  source_updated_at: Date | null;
  url: Generated<string>;
  estimated_minutes: number | null;
  completed_at: Date | null;
  deleted_at: Date | null;
  seen_in_run: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type TaskRow = Selectable<TasksTable>;

/** A stretch of time a calendar feed says the user is busy. */
export interface BusyTimesTable {
  connection_id: string;
  user_id: string;
  external_id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
}
