import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { equals } from '@bufbuild/protobuf';
import { TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import { syntheticLog } from '../../test/support/synthetic-log';
import { joinDecisionLog } from '@oo/off-policy';
import { DecisionLogFileError, parseDecisionLine, readDecisionLogFile, writeDecisionLogFile } from './decision-log-jsonl';

describe('the JSONL decision log', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oo-ope-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const observedAt = new Date('2026-03-05T00:00:00Z');
  const synthetic = syntheticLog({ seed: 3, decisions: 40, start: new Date('2026-03-01T00:00:00Z'), fallbackEvery: 7 });
  const log = joinDecisionLog(synthetic.served, synthetic.feedback, observedAt);

  it('reads back exactly the messages it wrote, feedback and observation time included', async () => {
    const path = join(dir, 'round-trip.jsonl');
    expect(await writeDecisionLogFile(path, log.tips)).toBe(40);
    const back = await readDecisionLogFile(path, new Date());
    expect(back).toHaveLength(40);
    back.forEach((tip, i) => {
      const original = log.tips[i] as (typeof log.tips)[number];
      expect(equals(TipServedSchema, tip.served, original.served)).toBe(true);
      expect(tip.feedback).toHaveLength(original.feedback.length);
      tip.feedback.forEach((f, j) => expect(equals(TipFeedbackSchema, f, original.feedback[j] as typeof f)).toBe(true));
      expect(tip.observedAt).toEqual(observedAt);
    });
  });

  it('writes canonical protobuf JSON, one decision per line', async () => {
    const path = join(dir, 'shape.jsonl');
    await writeDecisionLogFile(path, log.tips.slice(0, 2));
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0] as string);
    expect(Object.keys(first)).toEqual(['served', 'feedback', 'observedAt']);
    expect(first.served).toMatchObject({ decisionId: 'd-3-0', policy: 'default-uniform', fallback: true, featureLayout: expect.arrayContaining(['is_task']) });
    expect(typeof first.served.servedAt).toBe('string');
  });

  it('skips blank lines, tolerates unknown fields and names the line of a broken one', async () => {
    const path = join(dir, 'broken.jsonl');
    const good = JSON.stringify({ served: { decisionId: 'x', somethingNew: 1 }, feedback: [] });
    await writeFile(path, `${good}\n\n{"served": {"decisionId": 5}}\n`);
    await expect(readDecisionLogFile(path, new Date())).rejects.toThrow(/line 3/);
    expect(() => parseDecisionLine('not json', 7, new Date())).toThrow(DecisionLogFileError);
    expect(() => parseDecisionLine('not json', 7, new Date())).toThrow('line 7: not JSON');
    expect(() => parseDecisionLine('{"feedback": []}', 2, new Date())).toThrow(/line 2: expected an object with "served"/);
    expect(parseDecisionLine(good, 1, observedAt)).toMatchObject({ served: { decisionId: 'x' }, feedback: [], observedAt });
  });

  it('says which file it cannot read', async () => {
    await expect(readDecisionLogFile(join(dir, 'missing.jsonl'), new Date())).rejects.toThrow(/cannot read .*missing\.jsonl/);
  });
});
