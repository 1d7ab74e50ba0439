import { z } from 'zod';

/** User ids as auth issues them: opaque, short, URL-safe. */
export const userIdParams = z.object({
  userId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.:@-]+$/, 'must contain only letters, digits and _ . : @ -'),
});
