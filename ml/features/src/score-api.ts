import { z } from 'zod';
import { CANDIDATE_FEATURES } from './candidate-features';

/** Limits that keep one score request bounded in CPU and memory. */
export const SCORE_LIMITS = Object.freeze({ candidates: 100, features: 64, contextFeatures: 64, policies: 8 });

const id = z.string().min(1).max(128);

export const contextFeatureSchema = z.object({
  name: z.string().min(1).max(64),
  value: z.union([z.number().finite(), z.string().max(128)]),
  status: z.enum(['fresh', 'recomputed', 'fallback']),
});

export const decisionContextSchema = z.object({
  features: z.array(contextFeatureSchema).max(SCORE_LIMITS.contextFeatures),
  timezone: z.string().min(1).max(64),
  localHour: z.number().int().min(0).max(23),
  localWeekday: z.number().int().min(0).max(6),
});

/**
 * `POST /v1/score` on ml-serving: score the candidates of one decision under each named policy.
 * `decisionId` seeds sampling policies, so the same request gives the same answer.
 */
export const scoreRequestSchema = z
  // Strict: a field ml-serving does not know is the caller's mistake (400), not something to drop
  // silently. New inputs arrive as named candidate or context features, which need no new field.
  .strictObject({
    userId: id,
    decisionId: id,
    /** Names of the raw candidate features, in the order of each candidate's `features`. */
    candidateFeatures: z.array(z.string().min(1).max(64)).min(1).max(SCORE_LIMITS.features).default([...CANDIDATE_FEATURES]),
    candidates: z
      .array(z.strictObject({ id, features: z.array(z.number().finite()).max(SCORE_LIMITS.features) }))
      .min(1)
      .max(SCORE_LIMITS.candidates),
    context: decisionContextSchema.extend({ features: z.array(contextFeatureSchema.strict()).max(SCORE_LIMITS.contextFeatures) }).strict(),
    /** Policy names from ml-serving's catalog, e.g. `linucb`; the first is usually the live one. */
    policies: z.array(z.string().min(1).max(64)).min(1).max(SCORE_LIMITS.policies),
  })
  .superRefine((request, ctx) => {
    request.candidates.forEach((c, i) => {
      if (c.features.length !== request.candidateFeatures.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['candidates', i, 'features'],
          message: `has ${c.features.length} values but candidateFeatures names ${request.candidateFeatures.length}`,
        });
      }
    });
  });

export type ScoreRequest = z.input<typeof scoreRequestSchema>;
export type ParsedScoreRequest = z.output<typeof scoreRequestSchema>;

/** One policy's answer: a probability per candidate (same order), what it ranked by, and the model it used. */
export const policyScoresSchema = z.object({
  policy: z.string(),
  kind: z.enum(['uniform', 'epsilon-greedy', 'linucb', 'thompson']),
  probabilities: z.array(z.number()),
  scores: z.array(z.number()),
  modelVersion: z.string(),
  samples: z.number().int().optional(),
});

export const scoreResponseSchema = z.object({
  /** Version of the model layout the candidates were scored under (`fl-…`). */
  layoutVersion: z.string(),
  results: z.array(policyScoresSchema),
});

export type PolicyScores = z.infer<typeof policyScoresSchema>;
export type ScoreResponse = z.infer<typeof scoreResponseSchema>;
