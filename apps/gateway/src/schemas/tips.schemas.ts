import { z } from 'zod';
import { isoDateTime, nextCursor } from './common.schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const tipContent = z
  .object({ id: z.string(), kind: z.string(), title: z.string(), body: z.string(), taskId: z.string().optional() })
  .meta({ id: 'TipContent' });

export const recommendationSchema = z
  .object({
    decisionId: z.string().meta({ format: 'uuid' }),
    tip: tipContent,
    policy: z.string(),
    modelVersion: z.string(),
    propensity: z.number(),
  })
  .meta({ id: 'Tip', description: 'The one next thing for the caller' });

export const tipIdParams = z.object({ id: z.string().regex(UUID, 'must be a tip id (a UUID)').meta({ description: 'The decisionId of a served tip' }) });

export const reactions = ['done', 'snooze', 'dismiss'] as const;

export const feedbackBodySchema = z.strictObject({ reaction: z.enum(reactions) }).meta({ id: 'TipFeedbackRequest' });

export const feedbackSchema = z
  .object({ decisionId: z.string(), reaction: z.enum(reactions), reactedAt: isoDateTime, dwellMs: z.number() })
  .meta({ id: 'TipFeedback' });

const historyEntry = z
  .object({
    decisionId: z.string(),
    tip: tipContent,
    servedAt: isoDateTime,
    reaction: z.enum(reactions).nullable(),
    reactedAt: isoDateTime.nullable(),
    dwellMs: z.number().nullable(),
  })
  .meta({ id: 'TipHistoryEntry' });

export const historySchema = z.object({ items: z.array(historyEntry), nextCursor }).meta({ id: 'TipHistory' });
