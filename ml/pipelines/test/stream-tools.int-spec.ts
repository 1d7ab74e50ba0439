import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary, toJson } from '@bufbuild/protobuf';
import { parquetReadObjects } from 'hyparquet';
import { subjects, TipFeedbackSchema, type TipFeedback, type TipServed } from '@oo/contracts';
import { connectJetStreamBus, createEventCodec, loadNatsDefinitions, provision, type JetStreamBus } from '@oo/events';
import { testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { replayEvents, runDecisionExport, tailEvents, type EventLine } from '../src';
import { syntheticLog } from './support/synthetic-log';

const HOUR = 3_600_000;
const recommender = createEventCodec(subjects, { source: 'recommender' });

describe('npm run stream against JetStream', () => {
  const prefix = uniqueStreamPrefix('ds-stream');
  const now = new Date();
  const log = syntheticLog({ seed: 21, decisions: 20, start: new Date(now.getTime() - 72 * HOUR), gapMs: 60_000, fallbackEvery: 4 });
  let bus: JetStreamBus;
  let dir: string;
  let betweenBatches: Date;
  const connection = { servers: testNatsUrl(), prefix };
  const publishServed = (s: TipServed) => bus.publish(recommender.encode('signals.tip.served', s, { userId: s.userId }));
  const publishFeedback = (f: TipFeedback) => bus.publish(recommender.encode('signals.tip.feedback', f, { userId: f.userId }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oo-stream-int-'));
    bus = await connectJetStreamBus({ servers: testNatsUrl(), prefix, name: 'stream-tools-test' });
    const all = await loadNatsDefinitions(join(__dirname, '../../../deploy/nats'));
    const streams = all.streams.filter((s) => s.name === 'SIGNALS' || s.name === 'USERS').map((s) => ({ ...s, maxBytes: 16 * 1024 * 1024 }));
    await provision(bus.jsm, { streams, consumers: [] }, { prefix });
    for (const s of log.served) await publishServed(s);
    // Stored times have millisecond resolution: leave a gap so the batches fall on either side of a time.
    await new Promise((r) => setTimeout(r, 30));
    betweenBatches = new Date();
    await new Promise((r) => setTimeout(r, 30));
    for (const f of log.feedback) await publishFeedback(f);
  });

  afterAll(async () => {
    for await (const name of bus.jsm.streams.names()) if (name.startsWith(`${prefix}_`)) await bus.jsm.streams.delete(name);
    await bus.drain();
    await rm(dir, { recursive: true, force: true });
  });

  it('tails only events published after it started, decoded, and leaves no consumer behind', async () => {
    const lines: EventLine[] = [];
    const later = log.feedback.slice(0, 2).map((f) => ({ ...f, decisionId: `${f.decisionId}-again` }));
    await tailEvents({ ...connection, filter: 'signals.tip.feedback', count: 2, raw: true, onReady: () => void Promise.all(later.map(publishFeedback)) }, (l) => lines.push(l));
    expect(lines.map((l) => [l.subject, l.type, (l.data as { decisionId: string }).decisionId].join(' ')).sort()).toEqual(
      later.map((f) => `signals.tip.feedback oo.signals.v1.TipFeedback ${f.decisionId}`).sort(),
    );
    const first = lines[0] as EventLine;
    expect(toJson(TipFeedbackSchema, fromBinary(TipFeedbackSchema, Buffer.from(first.raw ?? '', 'base64')))).toEqual(first.data);
    expect(first.headers?.['ce-type']).toBe('oo.signals.v1.TipFeedback');
    expect(await bus.jsm.consumers.list(`${prefix}_SIGNALS`).next()).toEqual([]);
  });

  it('replays a time range by the broker’s stored time', async () => {
    const before: EventLine[] = [];
    await replayEvents({ ...connection, filter: 'signals.tip.*', until: betweenBatches }, (l) => before.push(l));
    expect(before.map((l) => l.type)).toEqual(log.served.map(() => 'oo.signals.v1.TipServed'));
    expect(before.map((l) => (l.data as { decisionId: string }).decisionId)).toEqual(log.served.map((s) => s.decisionId));
    const after: EventLine[] = [];
    await replayEvents({ ...connection, filter: 'signals.tip.feedback', since: betweenBatches }, (l) => after.push(l));
    // The feedback published in the second batch, then the two the tail test added.
    expect(after).toHaveLength(log.feedback.length + 2);
    expect(after.every((l) => l.error === undefined && l.storedAt >= betweenBatches.toISOString())).toBe(true);
    expect(await bus.jsm.consumers.list(`${prefix}_SIGNALS`).next()).toEqual([]);
  });

  it('refuses a filter no stream holds, or one that spans streams', async () => {
    await expect(replayEvents({ ...connection, filter: 'nothing.here' }, () => undefined)).rejects.toThrow(`no stream holds "${prefix}.nothing.here"`);
    await expect(replayEvents({ ...connection, filter: '*.>' }, () => undefined)).rejects.toThrow(`spans the streams ${prefix}_SIGNALS, ${prefix}_USERS`);
  });

  it('exports the decisions from the stream as Parquet, one row per decision in the order served', async () => {
    const path = join(dir, 'decisions.parquet');
    const summary = await runDecisionExport({ source: { kind: 'stream', ...connection }, path, format: 'parquet', since: new Date(now.getTime() - 7 * 24 * HOUR), progress: false });
    expect(summary).toMatchObject({ rows: 20, settled: 20, unsettled: 0 });
    const rows = await parquetReadObjects({ file: new Uint8Array(await readFile(path)).buffer });
    expect(rows.map((r) => r['decision_id'])).toEqual(log.served.map((s) => s.decisionId));
    expect(rows.map((r) => r['reward'])).toEqual(log.rewards);
    expect(rows.filter((r) => r['fallback'] === true)).toHaveLength(5);
  });
});
