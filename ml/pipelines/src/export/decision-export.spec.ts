import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { DEFAULT_REWARDS } from '@oo/bandit';
import { create } from '@bufbuild/protobuf';
import { ContextFeatureSchema, ContextFeatureStatus } from '@oo/contracts';
import { createDecisionFeaturizer } from '@oo/decision-features';
import { syntheticLog } from '../../test/support/synthetic-log';
import { joinDecisionLog } from '@oo/off-policy';
import { writeDecisionLogFile } from '../decision-log/decision-log-jsonl';
import { DECISION_EXPORT_COLUMNS, type ColumnType } from './decision-export-columns';
import { DECISION_EXPORT_SCHEMA, jsonRecord, writeDecisionJsonl, writeDecisionParquet } from './decision-export-writers';
import { decisionRow } from './decision-row';
import { runDecisionExport } from './run-decision-export';

const DAY = 86_400_000;
// The physical type and annotation a Parquet reader sees at each column's leaves.
const LEAVES: Readonly<Record<ColumnType, readonly string[]>> = {
  string: ['BYTE_ARRAY/UTF8'],
  double: ['DOUBLE'],
  int32: ['INT32'],
  boolean: ['BOOLEAN'],
  'timestamp[ms, UTC]': ['INT64/TIMESTAMP(MILLIS,UTC)'],
  'list<string>': ['BYTE_ARRAY/UTF8'],
  'list<double>': ['DOUBLE'],
  'list<list<double>>': ['DOUBLE'],
  'list<struct<policy: string, model_version: string, probabilities: list<double>>>': ['BYTE_ARRAY/UTF8', 'BYTE_ARRAY/UTF8', 'DOUBLE'],
  'list<struct<name: string, number_value: double?, text_value: string?, status: string>>': ['BYTE_ARRAY/UTF8', 'DOUBLE', 'BYTE_ARRAY/UTF8', 'BYTE_ARRAY/UTF8'],
};

describe('the decision export', () => {
  let dir: string;
  const start = new Date('2026-03-01T00:00:00Z');
  const now = new Date(start.getTime() + 40 * 3_600_000);
  const synthetic = syntheticLog({ seed: 5, decisions: 30, start, gapMs: 3_600_000, fallbackEvery: 6 });
  // Decisions from hour 16 on are younger than the window at `now`: the silent ones are unsettled.
  const segment = create(ContextFeatureSchema, { name: 'segment', value: { case: 'textValue', value: 'night-owl' }, status: ContextFeatureStatus.FALLBACK });
  const served = synthetic.served.map((s, i) => (i === 0 && s.context ? { ...s, context: { ...s.context, features: [...s.context.features, segment] } } : s));
  const log = joinDecisionLog(served, synthetic.feedback, now);
  const rows = log.tips.map((tip) => decisionRow(tip, { now, rewardWindowMs: DAY, rewards: DEFAULT_REWARDS, featurizer: createDecisionFeaturizer() }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oo-export-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('joins each decision with the reward the OPE settlement gives it', () => {
    expect(rows).toHaveLength(30);
    expect(rows.some((r) => !r.settled && r.reward === null && r.reaction === null)).toBe(true);
    const settled = rows.filter((r) => r.settled);
    expect(settled.every((r) => r.reaction !== null && r.reward === DEFAULT_REWARDS[r.reaction])).toBe(true);
    expect(rows.filter((r) => r.fallback)).toHaveLength(5);
    expect(rows[0]?.contextFeatures.at(-1)).toEqual({ name: 'segment', numberValue: null, textValue: 'night-owl', status: 'fallback' });
    expect(rows[1]?.modelVectors).toHaveLength(rows[1]?.candidateIds.length ?? -1);
  });

  it('writes Parquet whose columns read back with their declared types and the same values', async () => {
    const path = join(dir, 'decisions.parquet');
    writeDecisionParquet(path, rows, { since: start, until: null, observedAt: now, rewardWindowMs: DAY, rewards: DEFAULT_REWARDS });
    const file = new Uint8Array(await readFile(path)).buffer;
    const metadata = parquetMetadata(file);
    expect(Number(metadata.num_rows)).toBe(30);
    expect(metadata.key_value_metadata).toEqual(expect.arrayContaining([{ key: 'oo.schema', value: DECISION_EXPORT_SCHEMA }, { key: 'oo.reward_window_ms', value: String(DAY) }]));
    const top = metadata.schema.slice(1);
    for (const c of DECISION_EXPORT_COLUMNS) {
      const at = top.findIndex((e) => e.name === c.name);
      expect(at).toBeGreaterThanOrEqual(0);
      const leaves: string[] = [];
      // Walk this column's subtree in order and describe its leaves.
      let pending = 1;
      for (let i = at; pending > 0; i++) {
        const e = top[i];
        if (!e) throw new Error(`the schema ends inside ${c.name}`);
        pending += (e.num_children ?? 0) - 1;
        if (e.num_children) continue;
        const t = e.logical_type?.type === 'TIMESTAMP' ? `/TIMESTAMP(${e.logical_type.unit},${e.logical_type.isAdjustedToUTC ? 'UTC' : 'local'})` : e.converted_type ? `/${e.converted_type}` : '';
        leaves.push(`${e.type}${t}`);
      }
      expect({ column: c.name, leaves }).toEqual({ column: c.name, leaves: LEAVES[c.type] });
      expect(top[at]?.repetition_type).toBe(c.nullable ? 'OPTIONAL' : 'REQUIRED');
    }
    const back = await parquetReadObjects({ file });
    expect(back).toHaveLength(30);
    back.forEach((record, i) => {
      const row = rows[i] as (typeof rows)[number];
      expect(record['served_at']).toBeInstanceOf(Date);
      expect((record['served_at'] as Date).getTime()).toBe(row.servedAt?.getTime());
      expect(typeof record['chosen_index']).toBe('number');
      expect(typeof record['fallback']).toBe('boolean');
      expect(record['probabilities']).toEqual(row.probabilities);
      expect(record['model_vectors']).toEqual(row.modelVectors);
      expect(record['reward']).toBe(row.reward);
      expect(record['reacted_at'] === null ? null : (record['reacted_at'] as Date).getTime()).toBe(row.reactedAt?.getTime() ?? null);
      const json = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
      expect(json).toEqual(JSON.parse(JSON.stringify(jsonRecord(row))));
    });
  });

  it('writes JSONL with the same columns, one decision a line', async () => {
    const path = join(dir, 'decisions.jsonl');
    let progress = 0;
    await writeDecisionJsonl(path, rows, (n) => (progress = n));
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(progress).toBe(30);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(rows.map((r) => JSON.parse(JSON.stringify(jsonRecord(r)))));
    expect(Object.keys(JSON.parse(lines[0] ?? '{}') as object)).toEqual(DECISION_EXPORT_COLUMNS.map((c) => c.name));
  });

  it('exports a raw log file within [since, until) and refuses a reversed range', async () => {
    const raw = join(dir, 'raw.jsonl');
    await writeDecisionLogFile(raw, log.tips);
    const out = join(dir, 'window.parquet');
    const since = new Date(start.getTime() + 5 * 3_600_000);
    const until = new Date(start.getTime() + 15 * 3_600_000);
    const summary = await runDecisionExport({ source: { kind: 'file', path: raw }, path: out, format: 'parquet', since, until, now, rewardWindowMs: DAY, progress: false });
    expect(summary).toMatchObject({ rows: 10, settled: 10, unsettled: 0, format: 'parquet' });
    const back = await parquetReadObjects({ file: new Uint8Array(await readFile(out)).buffer });
    expect(back.map((r) => r['decision_id'])).toEqual(rows.slice(5, 15).map((r) => r.decisionId));
    await expect(runDecisionExport({ source: { kind: 'file', path: raw }, path: out, format: 'jsonl', since: until, until: since })).rejects.toThrow('must be later than --since');
  });

  it('documents every column, with its type, in the README', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    for (const c of DECISION_EXPORT_COLUMNS) expect(readme).toContain(`| \`${c.name}\` | ${c.type.replace(/\|/g, '\\|')}${c.nullable ? ', nullable' : ''} |`);
  });
});
