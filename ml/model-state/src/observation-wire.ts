import { z } from 'zod';
import type { ObservationRow } from './observation-row';

/**
 * A page of the observation log as ml-serving hands it to a replica: the rows after a version,
 * in order, and the names of every layout they use other than the replica's own (so a rolling
 * deploy's vectors stay readable without another call).
 */
export interface ObservationPage {
  rows: ObservationRow[];
  layouts: Record<string, readonly string[]>;
  /** Which policy is live and which are shadows, once a promotion decided it (ADR 0019). */
  assignment?: PolicyAssignment;
}

/** The live policy and the shadows scored beside it, as ml-serving's promotion step last set them. */
export interface PolicyAssignment {
  live: string;
  shadows: string[];
  /** The switch that set it. */
  promotionId: string;
}

const policyName = z.string().min(1).max(64);
export const policyAssignmentSchema = z.strictObject({ live: policyName, shadows: z.array(policyName).max(16), promotionId: z.string().min(1).max(64) });

const wireRow = z.strictObject({
  seq: z.string().regex(/^\d{1,19}$/),
  kind: z.enum(['reward', 'forget']),
  userId: z.string().max(128).nullable(),
  layoutVersion: z.string().max(64).nullable(),
  /** base64 of the float64 little-endian vector. */
  features: z.string().max(64 * 1024).nullable(),
  reward: z.number().nullable(),
  outcome: z.string().max(16).nullable(),
});

/** The JSON body of `GET /v1/models/current/observations`. */
export const observationPageSchema = z.strictObject({
  observations: z.array(wireRow).max(10_000),
  layouts: z.record(z.string().max(64), z.array(z.string().max(128)).max(4096)),
  // Only present once a promotion happened, so replicas older than it keep reading pages until then.
  assignment: policyAssignmentSchema.optional(),
});

export type ObservationPageJson = z.infer<typeof observationPageSchema>;

/**
 * The wire form of a page; the decision ids stay behind (a replica learns nothing from them).
 *
 * @example
 * res.json(toObservationPageJson({ rows, layouts }));
 */
export function toObservationPageJson(page: ObservationPage): ObservationPageJson {
  return {
    observations: page.rows.map((row) => ({
      seq: row.seq,
      kind: row.kind,
      userId: row.user_id,
      layoutVersion: row.layout_version,
      features: row.features === null ? null : Buffer.from(row.features.buffer, row.features.byteOffset, row.features.byteLength).toString('base64'),
      reward: row.reward,
      outcome: row.outcome,
    })),
    layouts: Object.fromEntries(Object.entries(page.layouts).map(([version, names]) => [version, [...names]])),
    ...(page.assignment ? { assignment: { ...page.assignment, shadows: [...page.assignment.shadows] } } : {}),
  };
}

/**
 * Reads a page from its checked wire form.
 *
 * @example
 * const page = fromObservationPageJson(observationPageSchema.parse(body));
 */
export function fromObservationPageJson(json: ObservationPageJson): ObservationPage {
  return {
    rows: json.observations.map((o) => ({
      seq: o.seq,
      kind: o.kind,
      user_id: o.userId,
      layout_version: o.layoutVersion,
      features: o.features === null ? null : Buffer.from(o.features, 'base64'),
      reward: o.reward,
      outcome: o.outcome,
    })),
    layouts: json.layouts,
    ...(json.assignment ? { assignment: json.assignment } : {}),
  };
}
