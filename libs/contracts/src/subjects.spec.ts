import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, equals, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ContextFeatureStatus,
  Reaction,
  TipFeedbackSchema,
  TipServedSchema,
  isSubject,
  subjectNames,
  subjects,
} from './index';
import type { SubjectMessage } from './index';

const entries = Object.entries(subjects);

describe('subjects', () => {
  it.each(entries)('%s carries a message of an oo.<domain>.v1 package', (subject, schema) => {
    expect(schema.kind).toBe('message');
    expect(schema.typeName).toMatch(/^oo\.[a-z]+\.v1\.[A-Z][A-Za-z0-9]*$/);
    // The first token of the subject names the domain, so streams line up with packages.
    expect(schema.typeName.split('.')[1]).toBe(subject.split('.')[0]);
  });

  it('names subjects as lowercase dotted tokens without wildcards', () => {
    for (const subject of subjectNames) expect(subject).toMatch(/^[a-z]+(\.[a-z_]+)+$/);
  });

  it('gives every schema exactly one subject, so ce-type identifies the subject', () => {
    const typeNames = entries.map(([, schema]) => schema.typeName);
    expect(new Set(typeNames).size).toBe(typeNames.length);
  });

  it('recognises known subjects only', () => {
    expect(subjectNames.every(isSubject)).toBe(true);
    for (const s of ['signals.tip', 'signals.tip.served.x', 'signals.>', 'toString', '__proto__', '']) {
      expect(isSubject(s)).toBe(false);
    }
  });

  it('round-trips a full decision through the wire format', () => {
    const served: SubjectMessage<'signals.tip.served'> = create(TipServedSchema, {
      decisionId: 'd-1',
      userId: 'u-1',
      tipId: 't-1',
      tipKind: 'task',
      servedAt: timestampFromDate(new Date('2026-11-21T08:30:00Z')),
      policy: 'linucb',
      modelVersion: 'm-7',
      featureLayout: ['bias', 'due_soon', 'completion_rate_30d'],
      candidates: [
        { candidateId: 'task-9', kind: 'task', taskId: 'task-9', features: [1, 0.5, 0.25] },
        { candidateId: 'advice-3', kind: 'advice', features: [1, 0, 0.25] },
      ],
      probabilities: [0.75, 0.25],
      chosenIndex: 0,
      propensity: 0.75,
      shadowPolicies: [{ policy: 'thompson', probabilities: [0.5, 0.5], modelVersion: 'm-7' }],
      fallback: false,
      context: {
        timezone: 'Europe/Berlin',
        localHour: 9,
        localWeekday: 6,
        features: [
          { name: 'completion_rate_30d', value: { case: 'numberValue', value: 0.25 }, status: ContextFeatureStatus.FRESH },
          { name: 'preferred_hour', value: { case: 'textValue', value: 'morning' }, status: ContextFeatureStatus.FALLBACK },
        ],
      },
    });

    const decoded = fromBinary(TipServedSchema, toBinary(subjects['signals.tip.served'], served));

    expect(equals(TipServedSchema, decoded, served)).toBe(true);
    expect(decoded.candidates[1]?.taskId).toBeUndefined();
    expect(decoded.context?.features[1]?.value).toEqual({ case: 'textValue', value: 'morning' });
  });

  it('round-trips feedback, keeping the 64-bit dwell time', () => {
    const feedback = create(TipFeedbackSchema, {
      decisionId: 'd-1',
      userId: 'u-1',
      tipId: 't-1',
      reaction: Reaction.SNOOZE,
      reactedAt: timestampFromDate(new Date('2026-11-21T08:31:00Z')),
      dwellMs: 2n ** 40n,
    });

    const decoded = fromBinary(TipFeedbackSchema, toBinary(TipFeedbackSchema, feedback));

    expect(decoded.reaction).toBe(Reaction.SNOOZE);
    expect(decoded.dwellMs).toBe(2n ** 40n);
  });

  it('agrees with the subject table in docs/events.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/events.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z._]+)` \| `(oo\.[A-Za-z0-9.]+)` \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(entries.map(([subject, schema]) => [subject, schema.typeName]));
  });
});
