import { columnCommentsMigration } from '@oo/db';

/** Describes, in the schema, every column the data export hands a user (its README is made from these). */
export const commentExportedColumns = columnCommentsMigration({
  connections: {
    connection_id: 'One connection of yours to a task or calendar source',
    provider: 'The source: todoist, google_tasks, ics (a calendar feed) or manual',
    account_key: 'Your account at the provider (its user id there), empty for feeds',
    status: 'active, syncing, reauth_required (sign in there again), error or disconnected',
    last_sync_at: 'When oO last read from it',
    last_success_at: 'When a read last succeeded',
    last_error: 'Why the last read failed, if it did',
    item_count: 'How many tasks or events it brought in at the last read',
    created_at: 'When you connected it',
  },
  connection_tokens: {
    connection_id: 'The connection the token belongs to',
    sealed: 'The provider\'s access token, held encrypted with a key of yours; exports say only that it is held',
    access_expires_at: 'When the provider said the access token expires',
    updated_at: 'When the token was last renewed',
  },
  tasks: {
    task_id: 'One of your tasks',
    connection_id: 'The connection it came from (none for a task made in oO)',
    source: 'todoist, google_tasks, ics or manual',
    external_id: 'Its id at the source',
    title: 'The task as you wrote it',
    priority: 'Its priority, 1 (lowest) to 4 (highest)',
    due_at: 'When it is due, if it has a date',
    due_all_day: 'True when it is due on a day rather than at a time',
    url: 'Link to the task at its source',
    estimated_minutes: 'How long it should take, if the source said',
    completed_at: 'When you completed it, if you did',
    deleted_at: 'When it disappeared from its source, if it did',
    created_at: 'When oO first saw it',
    updated_at: 'When oO last saw it change',
  },
  busy_times: {
    connection_id: 'The calendar it came from',
    external_id: 'The event\'s id in that calendar',
    title: 'The event\'s title',
    starts_at: 'When it starts',
    ends_at: 'When it ends',
  },
});
