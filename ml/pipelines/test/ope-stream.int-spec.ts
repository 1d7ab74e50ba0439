import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Reaction, subjects, TipFeedbackSchema, type TipFeedback, type TipServed } from '@oo/contracts';
import { connectJetStreamBus, createEventCodec, loadNatsDefinitions, provision, type JetStreamBus } from '@oo/events';
import { testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { runExport, runOpe, type OpeReport } from '../src';
import { syntheticLog } from './support/synthetic-log';

const HOUR = 3_600_000;
const recommender = createEventCodec(subjects, { source: 'recommender' });

describe('ope --from-stream against JetStream', () => {
  const prefix = uniqueStreamPrefix('ope-stream');
  const now = new Date();
  const settledLog = syntheticLog({ seed: 11, decisions: 150, start: new Date(now.getTime() - 72 * HOUR), gapMs: 600_000, fallbackEvery: 5 });
  const young = syntheticLog({ seed: 12, decisions: 4, start: new Date(now.getTime() - HOUR) }).served.map((s, i) => ({ ...s, decisionId: `young-${i}` }));
  const tooOld = syntheticLog({ seed: 13, decisions: 2, start: new Date(now.getTime() - 240 * HOUR) }).served.map((s, i) => ({ ...s, decisionId: `old-${i}` }));
  const feedbackOf = (decisionId: string, reaction: Reaction): TipFeedback =>
    create(TipFeedbackSchema, { decisionId, userId: 'u', reaction, reactedAt: timestampFromDate(new Date(now.getTime() - HOUR / 2)) });
  let bus: JetStreamBus;
  let dir: string;
  let report: OpeReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oo-ope-int-'));
    bus = await connectJetStreamBus({ servers: testNatsUrl(), prefix, name: 'ope-stream-test' });
    // The deployed SIGNALS stream with a small byte limit: JetStream reserves it on the shared server.
    const all = await loadNatsDefinitions(join(__dirname, '../../../deploy/nats'));
    const streams = all.streams.filter((s) => s.name === 'SIGNALS').map((s) => ({ ...s, maxBytes: 32 * 1024 * 1024 }));
    await provision(bus.jsm, { streams, consumers: [] }, { prefix });
    const publishServed = (s: TipServed) => bus.publish(recommender.encode('signals.tip.served', s, { userId: s.userId }));
    const publishFeedback = (f: TipFeedback) => bus.publish(recommender.encode('signals.tip.feedback', f, { userId: f.userId }));
    for (const s of [...tooOld, ...settledLog.served, ...young]) await publishServed(s);
    for (const f of [...settledLog.feedback, feedbackOf('young-0', Reaction.DONE), feedbackOf('no-such-decision', Reaction.SNOOZE)]) await publishFeedback(f);
    report = await runOpe({ source: { kind: 'stream', servers: testNatsUrl(), prefix }, since: new Date(now.getTime() - 7 * 24 * HOUR), now, resamples: 200 });
  });

  afterAll(async () => {
    for await (const name of bus.jsm.streams.names()) if (name.startsWith(`${prefix}_`)) await bus.jsm.streams.delete(name);
    await bus.drain();
    await rm(dir, { recursive: true, force: true });
  });

  it('joins feedback to decisions, settles rewards and counts what is not settled yet', () => {
    expect(report.source).toBe(`stream ${prefix}_SIGNALS`);
    expect(report.decisions).toEqual({ total: 154, settled: 151, unsettled: 3, fallback: 30, invalid: 0, untimed: 0 });
    expect(report.feedback).toEqual({ orphan: 1, late: 0, unknownReaction: 0, undecodableEvents: 0 });
    const expected = { done: 1, snooze: 0, dismiss: 0, none: 0 };
    for (const r of settledLog.rewards) expected[r === 1 ? 'done' : r === 0.25 ? 'snooze' : 'dismiss']++;
    // Silence and dismissal both earn 0; the feedback events tell them apart.
    expected.none = 150 - settledLog.feedback.length;
    expected.dismiss -= expected.none;
    expect(report.reactions).toEqual(expected);
  });

  it('estimates the live, fallback, shadow and uniform policies on the right decisions and rewards', () => {
    const byLabel = Object.fromEntries(report.policies.map((p) => [p.label, p]));
    expect(Object.keys(byLabel)).toEqual(['live', 'fallback', 'shadow:truth-greedy', 'uniform']);
    expect([byLabel['live']?.n, byLabel['fallback']?.n, byLabel['shadow:truth-greedy']?.n, byLabel['uniform']?.n]).toEqual([121, 30, 121, 151]);
    const liveRewards = [...settledLog.rewards.filter((_, t) => t % 5 !== 0), 1];
    const mean = liveRewards.reduce((s, r) => s + r, 0) / liveRewards.length;
    expect(byLabel['live']?.evaluation?.ips.value).toBeCloseTo(mean, 12);
    expect(byLabel['live']?.loggedMean).toBeCloseTo(mean, 12);
  });

  it('leaves no consumer behind on the stream', async () => {
    const consumers = await bus.jsm.consumers.list(`${prefix}_SIGNALS`).next();
    expect(consumers).toEqual([]);
  });

  it('exports the joined log as JSONL that --file reads back to the same report', async () => {
    const path = join(dir, 'decisions.jsonl');
    const since = new Date(now.getTime() - 7 * 24 * HOUR);
    expect(await runExport({ kind: 'stream', servers: testNatsUrl(), prefix }, path, { since })).toBe(154);
    const fromFile = await runOpe({ source: { kind: 'file', path }, since, now, resamples: 200 });
    expect(fromFile.decisions).toEqual(report.decisions);
    expect(fromFile.reactions).toEqual(report.reactions);
    expect(fromFile.policies).toEqual(report.policies);
  });

  it('finds no decisions after a --since in the future', async () => {
    const later = await runOpe({ source: { kind: 'stream', servers: testNatsUrl(), prefix }, since: new Date(now.getTime() + HOUR), now });
    expect(later.decisions.total).toBe(0);
    expect(later.policies).toEqual([]);
  });

  it('says which stream is missing', async () => {
    await expect(runOpe({ source: { kind: 'stream', servers: testNatsUrl(), prefix: `${prefix}x` } })).rejects.toThrow(`stream ${prefix}x_SIGNALS does not exist`);
  });
});
