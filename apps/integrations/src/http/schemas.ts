import { z } from 'zod';
import { PROVIDERS } from '../features/connectors/connector';

const isTimeZone = (name: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

/** An IANA time zone the runtime knows, e.g. `Europe/Berlin`. */
export const timeZone = z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC');

export const providerParams = z.object({ provider: z.enum(PROVIDERS) });
export const oauthProviderParams = z.object({ provider: z.enum(['todoist', 'google_tasks']) });
export const idParams = z.object({ id: z.uuid() });

export const connectBody = z.strictObject({ timeZone });
export const feedBody = z.strictObject({ url: z.string().min(1).max(2048), timeZone });

const title = z.string().trim().min(1, 'must not be empty').max(500).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
const priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const dueAt = z.iso.datetime({ offset: true }).transform((s) => new Date(s)).nullable();
const estimatedMinutes = z.number().int().min(1).max(10_080).nullable();

export const taskBody = z.strictObject({
  title,
  priority: priority.default(4),
  dueAt: dueAt.default(null),
  dueAllDay: z.boolean().default(false),
  estimatedMinutes: estimatedMinutes.default(null),
});

export const taskPatch = z
  .strictObject({ title: title.optional(), priority: priority.optional(), dueAt: dueAt.optional(), dueAllDay: z.boolean().optional(), estimatedMinutes: estimatedMinutes.optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change');

export const tasksQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  source: z.enum([...PROVIDERS, 'manual']).optional(),
  cursor: z.string().max(200).optional(),
});
