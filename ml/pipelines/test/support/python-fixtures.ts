// Writes the inputs the Python toolkit's tests (ml/python/tests) read, with the real TypeScript
// code: a raw decision log (what `npm run ope -- --export` writes) and CloudEvents encoded by the
// services' codec. Run: npx tsx ml/pipelines/test/support/python-fixtures.ts <dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, toJson } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { subjects, TipFeedbackSchema, TipServedSchema, UserCreatedSchema, type TipServed } from '@oo/contracts';
import { createEventCodec } from '@oo/events';
import { createRng } from '@oo/bandit';
import { joinDecisionLog } from '@oo/off-policy';
import { writeDecisionLogFile } from '../../src/decision-log/decision-log-jsonl';
import { syntheticLog } from './synthetic-log';

const HOUR = 3_600_000;
/** Fixed so the fixtures, and the reports computed from them, are the same on every run. */
export const FIXTURE_OBSERVED_AT = new Date('2026-03-08T00:00:00Z');

// Decisions a real log also holds: a shadow that failed to score, and probabilities that do not
// cover the candidates (left out as invalid); the last hours' silent decisions stay unsettled.
function withOddities(served: TipServed[]): TipServed[] {
  return served.map((s, t) => {
    if (t === 7) return { ...s, shadowPolicies: s.shadowPolicies.map((p) => ({ ...p, probabilities: [] })) };
    if (t === 9) return { ...s, probabilities: s.probabilities.slice(1) };
    return s;
  });
}

async function main(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const start = new Date(FIXTURE_OBSERVED_AT.getTime() - 200 * HOUR);
  const synthetic = syntheticLog({ seed: 17, decisions: 240, start, gapMs: 50 * 60_000, fallbackEvery: 6 });
  const log = joinDecisionLog(withOddities(synthetic.served), synthetic.feedback, FIXTURE_OBSERVED_AT);
  await writeDecisionLogFile(join(dir, 'raw-decisions.jsonl'), log.tips);

  const codec = createEventCodec(subjects, { source: 'recommender' });
  const served = synthetic.served[1] as TipServed;
  const feedback = create(TipFeedbackSchema, { decisionId: served.decisionId, userId: served.userId, reaction: 1, reactedAt: timestampFromDate(start), dwellMs: 12_345n });
  const user = create(UserCreatedSchema, { userId: 'u-1', displayName: 'Ada', createdAt: timestampFromDate(start) });
  const events = [
    { event: codec.encode('signals.tip.served', served, { userId: served.userId }), expected: toJson(TipServedSchema, served) },
    { event: codec.encode('signals.tip.feedback', feedback, { userId: feedback.userId }), expected: toJson(TipFeedbackSchema, feedback) },
    { event: createEventCodec(subjects, { source: 'auth' }).encode('users.created', user, { userId: 'u-1' }), expected: toJson(UserCreatedSchema, user) },
  ];
  const lines = events.map(({ event, expected }) => JSON.stringify({ subject: event.subject, headers: event.headers, payload: Buffer.from(event.data).toString('base64'), expected }));
  writeFileSync(join(dir, 'cloudevents.jsonl'), `${lines.join('\n')}\n`);

  // The bootstrap's generator: Python must draw the same numbers for the same seeds.
  const seeds = [0, 3, 42, 2 ** 32 + 1, -7, 'decision-1', 'ünï'];
  const draws = seeds.map((seed) => {
    const rng = createRng(seed);
    return { seed, uint32: Array.from({ length: 8 }, () => rng.uint32()), int1000: Array.from({ length: 8 }, () => rng.int(1000)) };
  });
  writeFileSync(join(dir, 'rng.json'), JSON.stringify(draws));
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npx tsx ml/pipelines/test/support/python-fixtures.ts <dir>\n');
  process.exit(2);
}
main(dir).catch((err: unknown) => {
  process.stderr.write(`python-fixtures: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
