import { z } from 'zod';
import type { PolicySpec } from '@oo/bandit';
import { jsonText } from '@oo/config';
import type { PolicyCatalog } from '@oo/model-state';

const probability = z.number().min(0).max(1);

/** One catalog entry as written in `POLICIES`; unknown keys are rejected so a typo cannot pass. */
export const policySpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('uniform') }).strict(),
  z.object({ kind: z.literal('epsilon-greedy'), epsilon: probability.optional() }).strict(),
  z.object({ kind: z.literal('linucb'), alpha: z.number().min(0).max(100).optional(), epsilon: probability.optional() }).strict(),
  z
    .object({
      kind: z.literal('thompson'),
      // Each draw costs n·rank; beyond a few thousand the Monte-Carlo error is no longer the issue.
      samples: z.number().int().min(2).max(4096).optional(),
      scale: z.number().positive().max(100).optional(),
      epsilon: probability.optional(),
    })
    .strict(),
]);

const POLICY_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const catalogSchema = z
  .record(z.string().regex(POLICY_NAME, 'policy names are lower-case words (a-z, 0-9, . _ -)'), policySpecSchema)
  .refine((catalog) => Object.keys(catalog).length > 0, 'must name at least one policy');

/** The catalog when `POLICIES` is not set. */
export const DEFAULT_POLICIES: Readonly<Record<string, PolicySpec>> = Object.freeze({
  linucb: { kind: 'linucb', alpha: 0.3, epsilon: 0.05 },
  thompson: { kind: 'thompson', samples: 256, epsilon: 0.05 },
  'epsilon-greedy': { kind: 'epsilon-greedy', epsilon: 0.1 },
  uniform: { kind: 'uniform' },
});

/**
 * The `POLICIES` variable: a JSON object of named policy specs.
 *
 * @example
 * z.object({ POLICIES: policyCatalogJson().optional() }) // POLICIES='{"ucb-wide":{"kind":"linucb","alpha":1}}'
 */
export function policyCatalogJson(): z.ZodType<Record<string, PolicySpec>> {
  return jsonText(catalogSchema, 'must be a JSON object of named policies');
}

/**
 * The catalog to score with: the configured one, or the defaults.
 *
 * @example
 * const catalog = createPolicyCatalog(config.POLICIES);
 * catalog.get('linucb'); // { kind: 'linucb', alpha: 0.3, epsilon: 0.05 }
 */
export function createPolicyCatalog(configured?: Readonly<Record<string, PolicySpec>>): PolicyCatalog {
  return new Map(Object.entries(configured ?? DEFAULT_POLICIES));
}
