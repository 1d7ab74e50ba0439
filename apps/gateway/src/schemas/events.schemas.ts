import { z } from 'zod';

const durable = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'must be a durable consumer name such as recommender__task_upserted');

export const consumersSchema = z
  .object({
    consumers: z.array(
      z.object({
        stream: z.string(),
        durable: z.string(),
        pending: z.number().int().meta({ description: 'Events its stream holds that it has not been given yet: its lag' }),
        ackPending: z.number().int().meta({ description: 'Given and not acknowledged yet' }),
        redelivered: z.number().int(),
        lastDeliveredAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ConsumerLag', description: 'Every durable consumer with its lag, most behind first' });

export const deadLettersQuery = z.strictObject({
  durable: durable.optional().meta({ description: 'Only the dead letters of this consumer' }),
  limit: z.coerce.number().int().min(1).max(200).optional().meta({ description: 'How many, newest first, 1–200 (default 50)' }),
});

const deadLetter = z.object({
  sequence: z.number().int(),
  time: z.string().nullable(),
  durable: z.string().nullable(),
  subject: z.string().nullable().meta({ description: 'Where the event was first published' }),
  reason: z.string().nullable().meta({ description: 'undecodable, permanent or exhausted' }),
  error: z.string().nullable(),
  eventId: z.string().nullable(),
});

export const deadLettersSchema = z.object({ deadLetters: z.array(deadLetter) }).meta({ id: 'DeadLetters' });

export const deadLetterParams = z.object({ sequence: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export const replayedSchema = z
  .object({ sequence: z.number().int(), durable: z.string().nullable(), eventId: z.string(), subject: z.string(), stored: z.object({ stream: z.string(), seq: z.number().int() }) })
  .meta({ id: 'DeadLetterReplayed', description: 'The event stored again on its subject; only the consumer that gave up handles it' });
