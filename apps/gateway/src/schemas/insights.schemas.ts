import { z } from 'zod';
import { isoDateTime, userId } from './common.schemas';

const estimate = z.object({ value: z.number(), lower: z.number(), upper: z.number() }).meta({ id: 'Estimate', description: 'A point estimate with its 95 % bootstrap interval' });

const decisionCandidate = z.object({
  id: z.string(),
  kind: z.string(),
  live: z.number().nullable().meta({ description: "The live policy's probability of this candidate" }),
  shadows: z.record(z.string(), z.number().nullable()).meta({ description: "Each shadow policy's probability of this candidate, by policy" }),
});

const adminDecision = z
  .object({
    decisionId: z.string(),
    servedAt: isoDateTime,
    channel: z.string(),
    tipTitle: z.string(),
    policy: z.string(),
    modelVersion: z.string(),
    layoutVersion: z.string(),
    fallback: z.boolean(),
    fallbackReason: z.string().nullable(),
    chosenIndex: z.number().int(),
    propensity: z.number(),
    candidates: z.array(decisionCandidate),
    reaction: z.enum(['done', 'snooze', 'dismiss']).nullable(),
    reactedAt: isoDateTime.nullable(),
    reward: z.number().nullable().meta({ description: 'null while the reward window is open without a reaction' }),
  })
  .meta({ id: 'AdminDecision' });

export const userDecisionsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional().meta({ description: 'How many, 1–100 (default 20)' }) });

export const userDecisionsSchema = z.object({ userId, decisions: z.array(adminDecision) }).meta({ id: 'AdminUserDecisions', description: "A user's most recent decisions, newest first" });

export const learningQuery = z.strictObject({
  since: isoDateTime.optional().meta({ description: 'From when (default: the last 7 days)' }),
  windowMinutes: z.coerce.number().int().min(1).max(1440).optional().meta({ description: "The learning curve's window in minutes (default 60)" }),
  windowDecisions: z.coerce.number().int().min(1).max(10_000).optional().meta({ description: 'Instead: windows of this many consecutive decisions' }),
  rewardWindowMinutes: z.coerce.number().int().min(1).max(10_080).optional().meta({ description: 'How long a reaction counts after its tip (default 1440)' }),
});

export const learningSchema = z
  .object({
    since: isoDateTime,
    until: isoDateTime,
    decisions: z.number().int(),
    truncated: z.boolean().meta({ description: 'True when only the newest 20 000 decisions were read' }),
    fallbackShare: z.number().nullable(),
    models: z.array(
      z.object({
        policy: z.string(),
        layoutVersion: z.string(),
        modelVersion: z.string().meta({ description: 'The newest model version that decided' }),
        modelVersions: z.number().int().meta({ description: 'How many model versions decided (each update is one)' }),
        decisions: z.number().int(),
        lastServedAt: isoDateTime,
      }),
    ),
    curve: z.array(z.object({ windowStart: isoDateTime, decisions: z.number().int(), settled: z.number().int(), meanReward: z.number().nullable() })),
    policies: z.array(
      z.object({
        label: z.string().meta({ description: '`live`, `shadow:<name>` or `uniform`' }),
        role: z.enum(['live', 'shadow', 'uniform']),
        n: z.number().int(),
        loggedMean: z.number().nullable(),
        ips: estimate.nullable(),
        snips: estimate.nullable(),
        dr: estimate.nullable(),
        effectiveSampleSize: z.number().nullable(),
      }),
    ),
    latency: z.object({ count: z.number().int(), p50Ms: z.number().nullable(), p95Ms: z.number().nullable(), p99Ms: z.number().nullable() }).meta({ description: "One recommender instance's decision latency (bucket bounds) since it started" }),
  })
  .meta({ id: 'LearningReport', description: 'How the policies learn: reward per window, off-policy estimates, models, fallback share, latency' });
