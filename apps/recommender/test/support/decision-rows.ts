import type { Insertable } from '@oo/db';
import type { RecommenderDatabase } from '../../src/db/database';

/**
 * A served decision row as the recommender stores it, with neutral values for everything a test
 * does not care about.
 *
 * @example
 * await db.insertInto('decisions').values(decisionRow({ decision_id: id, user_id: 'ana', served_at: at })).execute();
 */
export function decisionRow(
  fields: Pick<Insertable<RecommenderDatabase['decisions']>, 'decision_id' | 'user_id' | 'served_at'> & Partial<Insertable<RecommenderDatabase['decisions']>>,
): Insertable<RecommenderDatabase['decisions']> {
  return {
    tip_id: 'advice:a1',
    tip_kind: 'break',
    tip_title: 't',
    tip_body: 'b',
    task_id: null,
    policy: 'linucb',
    model_version: 'm',
    layout_version: 'l',
    fallback: false,
    fallback_reason: null,
    chosen_index: 0,
    propensity: 1,
    feature_layout: '[]',
    candidates: '[]',
    probabilities: '[1]',
    shadow_policies: '[]',
    context: '{}',
    ...fields,
  };
}
