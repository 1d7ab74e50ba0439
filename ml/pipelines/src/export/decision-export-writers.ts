import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileWriter, parquetWrite } from 'hyparquet-writer';
import { DECISION_EXPORT_COLUMNS, decisionParquetSchema } from './decision-export-columns';
import type { DecisionRow } from './decision-row';

export type ExportFormat = 'jsonl' | 'parquet';

/** Facts about the whole export, written into the Parquet footer (key-value metadata). */
export interface ExportMetadata {
  readonly since: Date | null;
  readonly until: Date | null;
  readonly observedAt: Date;
  readonly rewardWindowMs: number;
  readonly rewards: Readonly<Record<string, number>>;
}

/** Tells the schema apart from a later, changed one; readers check it. */
export const DECISION_EXPORT_SCHEMA = 'oo.decision-export.v1';

/**
 * A row as a JSON object with the column names as keys; timestamps become RFC 3339 strings.
 *
 * @example
 * JSON.stringify(jsonRecord(row)).includes('"decision_id"'); // true
 */
export function jsonRecord(row: DecisionRow): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const c of DECISION_EXPORT_COLUMNS) {
    const value = c.value(row);
    record[c.name] = value instanceof Date ? value.toISOString() : value;
  }
  return record;
}

/**
 * Writes rows as JSONL, one decision a line, respecting backpressure.
 *
 * @example
 * await writeDecisionJsonl('decisions.jsonl', rows, (n) => bar.update(n));
 */
export async function writeDecisionJsonl(path: string, rows: readonly DecisionRow[], onRow: (written: number) => void = () => undefined): Promise<void> {
  const output = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => output.once('error', reject));
  // Handled here so an error between two awaits is not an unhandled rejection; the races still see it.
  failed.catch(() => undefined);
  let written = 0;
  for (const row of rows) {
    if (!output.write(`${JSON.stringify(jsonRecord(row))}\n`)) await Promise.race([once(output, 'drain'), failed]);
    onRow(++written);
  }
  output.end();
  await Promise.race([once(output, 'finish'), failed]);
}

/**
 * Writes rows as one Parquet file with typed columns (see DECISION_EXPORT_COLUMNS), snappy
 * compressed, with the export's facts in the footer's key-value metadata.
 *
 * @example
 * writeDecisionParquet('decisions.parquet', rows, metadata);
 */
export function writeDecisionParquet(path: string, rows: readonly DecisionRow[], metadata: ExportMetadata): void {
  const columnData = DECISION_EXPORT_COLUMNS.map((c) => ({ name: c.name, data: rows.map(c.value) }));
  parquetWrite({
    writer: fileWriter(path),
    schema: decisionParquetSchema(),
    columnData,
    kvMetadata: [
      { key: 'oo.schema', value: DECISION_EXPORT_SCHEMA },
      { key: 'oo.since', value: metadata.since?.toISOString() ?? '' },
      { key: 'oo.until', value: metadata.until?.toISOString() ?? '' },
      { key: 'oo.observed_at', value: metadata.observedAt.toISOString() },
      { key: 'oo.reward_window_ms', value: String(metadata.rewardWindowMs) },
      { key: 'oo.rewards', value: JSON.stringify(metadata.rewards) },
    ],
    createdBy: 'oO ml-pipelines stream export',
  });
}
