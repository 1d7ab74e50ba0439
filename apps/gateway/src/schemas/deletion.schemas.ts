import { z } from 'zod';
import { isoDateTime, nextCursor } from './common.schemas';

/** What auth answers when a deletion starts. */
export const deletionStartedSchema = z.object({ requestId: z.string(), dueAt: isoDateTime });

export const deletionAcceptedSchema = z
  .object({
    requestId: z.string().meta({ format: 'uuid' }),
    dueAt: isoDateTime.meta({ description: 'By when every service must have erased your data' }),
    statusUrl: z.string().meta({ description: 'Where the progress can be followed without signing in (you are signed out everywhere now)' }),
  })
  .meta({ id: 'DeletionAccepted' });

export const deletionSchema = z
  .object({
    requestId: z.string(),
    status: z.enum(['pending', 'overdue', 'completed']),
    requestedAt: isoDateTime,
    dueAt: isoDateTime,
    completedAt: isoDateTime.nullable(),
    subjectDigest: z.string().meta({ description: 'SHA-256 (hex) of `<requestId>:<userId>`: with both, you can check this deletion was yours' }),
    services: z.array(z.object({ service: z.string(), erasedAt: isoDateTime.nullable() })).meta({ description: 'Every service holding user data, and when it erased yours' }),
  })
  .meta({ id: 'Deletion', description: "An account deletion's progress; it never names the user" });

export const deletionsSchema = z.object({ deletions: z.array(deletionSchema), nextCursor }).meta({ id: 'Deletions' });

export const deletionParams = z.object({ requestId: z.uuid('must be a deletion request id (a UUID)') });

export const deletionsQuery = z.strictObject({
  status: z.enum(['pending', 'overdue', 'completed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(512).optional(),
});
