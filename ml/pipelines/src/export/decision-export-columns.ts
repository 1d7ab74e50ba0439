import type { SchemaElement } from 'hyparquet-writer';
import type { DecisionRow } from './decision-row';

/** How a column is typed, in words a data scientist reads (and the README lists). */
export type ColumnType =
  | 'string'
  | 'double'
  | 'int32'
  | 'boolean'
  | 'timestamp[ms, UTC]'
  | 'list<string>'
  | 'list<double>'
  | 'list<list<double>>'
  | 'list<struct<policy: string, model_version: string, probabilities: list<double>>>'
  | 'list<struct<name: string, number_value: double?, text_value: string?, status: string>>';

export interface ExportColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly description: string;
  readonly value: (row: DecisionRow) => unknown;
}

const column = (name: string, type: ColumnType, description: string, value: (row: DecisionRow) => unknown, nullable = false): ExportColumn =>
  Object.freeze({ name, type, nullable, description, value });

/**
 * The export's columns, in file order: one row per decision. This list is the schema's single
 * definition; the Parquet schema is derived from it, and the README table is checked against it.
 */
export const DECISION_EXPORT_COLUMNS: readonly ExportColumn[] = Object.freeze([
  column('decision_id', 'string', 'The decision (TipServed.decision_id); the join key to feedback.', (r) => r.decisionId),
  column('user_id', 'string', 'The user the tip was chosen for.', (r) => r.userId),
  column('served_at', 'timestamp[ms, UTC]', 'When the decision was made; null when the event had no time (such a row is never settled).', (r) => r.servedAt, true),
  column('policy', 'string', 'The policy that chose (the live policy, or the local default when fallback).', (r) => r.policy),
  column('model_version', 'string', 'Model version the choosing policy scored with; empty for policies without a model.', (r) => r.modelVersion),
  column('fallback', 'boolean', 'True when ml-serving was slow or down and the recommender chose locally.', (r) => r.fallback),
  column('fallback_reason', 'string', 'Why the fallback happened (timeout, unavailable, error); empty otherwise.', (r) => r.fallbackReason),
  column('tip_id', 'string', 'What was suggested: task:<id> or advice:<id>.', (r) => r.tipId),
  column('tip_kind', 'string', 'Kind of the chosen candidate (task, advice).', (r) => r.tipKind),
  column('chosen_index', 'int32', 'Zero-based index of the chosen candidate.', (r) => r.chosenIndex),
  column('propensity', 'double', 'probabilities[chosen_index] as logged: the propensity estimators divide by.', (r) => r.propensity),
  column('candidate_ids', 'list<string>', 'Every candidate id, in the order of the probabilities.', (r) => r.candidateIds),
  column('candidate_kinds', 'list<string>', 'Every candidate kind, same order.', (r) => r.candidateKinds),
  column('probabilities', 'list<double>', 'The choosing policy’s probability of each candidate (sums to 1).', (r) => r.probabilities),
  column('shadow_policies', 'list<struct<policy: string, model_version: string, probabilities: list<double>>>', 'Each shadow policy’s probabilities on the same candidates; an empty list means that shadow failed to score.', (r) =>
    r.shadowPolicies.map((p) => ({ policy: p.policy, model_version: p.modelVersion, probabilities: p.probabilities })),
  ),
  column('feature_layout', 'list<string>', 'Names of the raw candidate features, the order of candidate_features’ inner lists.', (r) => r.featureLayout),
  column('candidate_features', 'list<list<double>>', 'Every candidate’s raw features as logged.', (r) => r.candidateFeatures),
  column('model_vectors', 'list<list<double>>', 'Every candidate’s model vector rebuilt with the current decision layout (what the DR reward model regresses on).', (r) => r.modelVectors),
  column('timezone', 'string', 'The user’s IANA time zone at decision time.', (r) => r.timezone),
  column('local_hour', 'int32', 'Hour of day in that zone, 0–23.', (r) => r.localHour),
  column('local_weekday', 'int32', 'ISO weekday in that zone: 1 Monday … 7 Sunday.', (r) => r.localWeekday),
  column('channel', 'string', 'Where the tip is shown (in_app, push, email); empty in older decisions (in_app).', (r) => r.channel),
  column('context_features', 'list<struct<name: string, number_value: double?, text_value: string?, status: string>>', 'Profile features read for the decision; status fresh, recomputed, fallback or unspecified.', (r) =>
    r.contextFeatures.map((f) => ({ name: f.name, number_value: f.numberValue, text_value: f.textValue, status: f.status })),
  ),
  column('settled', 'boolean', 'True when the reward is known: a reaction inside the reward window, or silence for the whole window.', (r) => r.settled),
  column('reaction', 'string', 'done, snooze, dismiss or none (silence); null while unsettled.', (r) => r.reaction, true),
  column('reward', 'double', 'The reward of that reaction under the export’s reward values; null while unsettled.', (r) => r.reward, true),
  column('reacted_at', 'timestamp[ms, UTC]', 'When the deciding reaction happened; null for silence and unsettled rows.', (r) => r.reactedAt, true),
  column('feedback_count', 'int32', 'How many feedback events the log holds for the decision (all of them, inside the window or not).', (r) => r.feedbackCount),
  column('observed_at', 'timestamp[ms, UTC]', 'When the log was read: silence is only known up to then.', (r) => r.observedAt),
]);

const utf8 = (name: string, repetition: 'REQUIRED' | 'OPTIONAL'): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: repetition });
const double = (name: string, repetition: 'REQUIRED' | 'OPTIONAL'): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: repetition });
// The three-level LIST layout of the Parquet spec, which pyarrow, pandas and DuckDB read as lists.
const list = (name: string, element: SchemaElement[]): SchemaElement[] => [
  { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  ...element,
];
const struct = (name: string, fields: SchemaElement[][]): SchemaElement[] => [
  { name, repetition_type: 'REQUIRED', num_children: fields.length },
  ...fields.flat(),
];

function schemaOf(c: ExportColumn): SchemaElement[] {
  const repetition = c.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (c.type) {
    case 'string':
      return [utf8(c.name, repetition)];
    case 'double':
      return [double(c.name, repetition)];
    case 'int32':
      return [{ name: c.name, type: 'INT32', repetition_type: repetition }];
    case 'boolean':
      return [{ name: c.name, type: 'BOOLEAN', repetition_type: repetition }];
    case 'timestamp[ms, UTC]':
      return [{ name: c.name, type: 'INT64', repetition_type: repetition, logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } }];
    case 'list<string>':
      return list(c.name, [utf8('element', 'REQUIRED')]);
    case 'list<double>':
      return list(c.name, [double('element', 'REQUIRED')]);
    case 'list<list<double>>':
      return list(c.name, list('element', [double('element', 'REQUIRED')]));
    case 'list<struct<policy: string, model_version: string, probabilities: list<double>>>':
      return list(c.name, struct('element', [[utf8('policy', 'REQUIRED')], [utf8('model_version', 'REQUIRED')], list('probabilities', [double('element', 'REQUIRED')])]));
    case 'list<struct<name: string, number_value: double?, text_value: string?, status: string>>':
      return list(c.name, struct('element', [[utf8('name', 'REQUIRED')], [double('number_value', 'OPTIONAL')], [utf8('text_value', 'OPTIONAL')], [utf8('status', 'REQUIRED')]]));
  }
}

/**
 * The Parquet schema of the export (flattened, root first), derived from the columns.
 *
 * @example
 * parquetWrite({ writer, schema: decisionParquetSchema(), columnData });
 */
export function decisionParquetSchema(): SchemaElement[] {
  return [{ name: 'root', num_children: DECISION_EXPORT_COLUMNS.length }, ...DECISION_EXPORT_COLUMNS.flatMap(schemaOf)];
}
