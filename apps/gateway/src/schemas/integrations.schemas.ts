import { z } from 'zod';
import { isoDateTime, nextCursor } from './common.schemas';

export const PROVIDERS = ['todoist', 'google_tasks', 'ics'] as const;
const OAUTH_PROVIDERS = ['todoist', 'google_tasks'] as const;

// Shape only: integrations checks the name against the time-zone database.
const timeZone = z.string().min(1).max(64).meta({ description: 'IANA time zone for dates the source gives without one, e.g. Europe/Berlin (default UTC)' });

export const connectionIdParams = z.object({ id: z.uuid() });
export const taskIdParams = z.object({ id: z.uuid() });
export const oauthProviderParams = z.object({ provider: z.enum(OAUTH_PROVIDERS) });

export const providersSchema = z
  .object({
    providers: z.array(z.object({ provider: z.enum(PROVIDERS), name: z.string(), connect: z.enum(['oauth', 'url']), available: z.boolean() })),
  })
  .meta({ id: 'Providers' });

export const connectionSchema = z
  .object({
    id: z.uuid(),
    provider: z.enum(PROVIDERS),
    status: z.enum(['active', 'syncing', 'reauth_required', 'error', 'disconnected']),
    label: z.string().meta({ description: 'The provider, or a calendar feed’s host and the start of its path' }),
    lastSyncAt: isoDateTime.nullable(),
    lastSuccessAt: isoDateTime.nullable(),
    lastError: z.string().nullable().meta({ description: 'What went wrong last, in words you can act on' }),
    itemCount: z.number().int().meta({ description: 'Open tasks from this source' }),
    busyCount: z.number().int().meta({ description: 'Busy times ahead, for calendar feeds' }),
    nextSyncAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Connection' });

export const connectionsSchema = z.object({ connections: z.array(connectionSchema) }).meta({ id: 'Connections' });

export const connectBodySchema = z.strictObject({ timeZone: timeZone.optional() }).meta({ id: 'ConnectRequest' });
export const connectStartSchema = z
  .object({ authorizationUrl: z.url().meta({ description: 'Send the browser here; the provider redirects back to /v1/connections/{provider}/callback' }), expiresAt: isoDateTime })
  .meta({ id: 'ConnectStart' });

export const callbackQuery = z
  .object({ code: z.string().max(4096).optional(), state: z.string().max(512).optional(), error: z.string().max(256).optional(), scope: z.string().max(2048).optional() })
  .catchall(z.string().max(2048));

export const feedBodySchema = z.strictObject({ url: z.string().min(1).max(2048).meta({ description: 'The calendar’s secret iCal address (https or webcal)' }), timeZone: timeZone.optional() }).meta({ id: 'FeedRequest' });

export const disconnectSchema = z.object({ revokedAtProvider: z.boolean() }).meta({ id: 'Disconnected' });

const priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).meta({ description: '1 most urgent … 4 normal' });
const title = z.string().min(1).max(500);
const dueAt = z.iso.datetime({ offset: true }).nullable();
const estimatedMinutes = z.number().int().min(1).max(10_080).nullable();

export const taskBodySchema = z
  .strictObject({ title, priority: priority.optional(), dueAt: dueAt.optional(), dueAllDay: z.boolean().optional(), estimatedMinutes: estimatedMinutes.optional() })
  .meta({ id: 'TaskRequest' });

export const taskPatchSchema = z
  .strictObject({ title: title.optional(), priority: priority.optional(), dueAt: dueAt.optional(), dueAllDay: z.boolean().optional(), estimatedMinutes: estimatedMinutes.optional() })
  .meta({ id: 'TaskPatch' });

export const taskSchema = z
  .object({
    id: z.uuid(),
    source: z.enum([...PROVIDERS, 'manual']),
    title: z.string(),
    priority: z.number().int(),
    dueAt: isoDateTime.nullable(),
    dueAllDay: z.boolean(),
    estimatedMinutes: z.number().int().nullable(),
    url: z.string(),
    completedAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Task' });

export const tasksQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional().meta({ description: 'Page size, 1–200 (default 50)' }),
  source: z.enum([...PROVIDERS, 'manual']).optional(),
  cursor: z.string().min(1).max(200).optional(),
});

export const tasksSchema = z.object({ tasks: z.array(taskSchema), nextCursor }).meta({ id: 'Tasks' });
