import { z } from 'zod';

/** RFC 9457 problem details as every oO service writes them. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string(),
    code: z.string().meta({ description: 'Stable machine-readable code, e.g. VALIDATION_FAILED' }),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().meta({ description: 'Every failing field (VALIDATION_FAILED)' }),
    error: z.string().optional().meta({ description: "RFC 6749's error code, on the token endpoints" }),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

/** User ids as auth issues them: opaque, short, URL-safe (the same rule as the upstreams'). */
export const userId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:@-]+$/, 'must contain only letters, digits and _ . : @ -');

export const userIdParams = z.object({ userId });

/** `?limit=&cursor=` of every list: the upstream checks the cursor; the gateway only bounds it. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional().meta({ description: 'Page size, 1–100 (default 50)' }),
  cursor: z.string().min(1).max(512).optional().meta({ description: 'The nextCursor of the previous page' }),
});

export const nextCursor = z.string().nullable().meta({ description: 'Cursor of the next page; null on the last one' });

export const isoDateTime = z.string().meta({ format: 'date-time' });
