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
    channel: z.string().meta({ description: '`in_app`, or the channel of the nudge that carried the tip (`push`, `email`)' }),
    reaction: z.enum(reactions).nullable(),
    reactedAt: isoDateTime.nullable(),
    dwellMs: z.number().nullable(),
  })
  .meta({ id: 'TipHistoryEntry' });

/** One served tip, where a notification's link leads. */
export const servedTipSchema = historyEntry;

export const historySchema = z.object({ items: z.array(historyEntry), nextCursor }).meta({ id: 'TipHistory' });

const channelOutcome = z
  .object({
    channel: z.string(),
    nudges: z.number().int(),
    delivered: z.number().int(),
    failed: z.number().int(),
    done: z.number().int(),
    snoozed: z.number().int(),
    dismissed: z.number().int(),
    doneRate: z.number().nullable().meta({ description: 'Delivered nudges that led to done, as a share of those delivered' }),
  })
  .meta({ id: 'NudgeChannelOutcome' });

export const nudgeOutcomesQuery = z.strictObject({ since: isoDateTime.optional().meta({ description: 'From when (default: the last 7 days)' }) });

export const nudgeOutcomesSchema = z.object({ since: isoDateTime, channels: z.array(channelOutcome) }).meta({ id: 'NudgeOutcomes' });
