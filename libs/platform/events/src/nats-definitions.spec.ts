import { join } from 'node:path';
import { loadNatsDefinitions, parseDurationMs, parseSizeBytes, validateDefinitions, type StreamDefinition } from './nats-definitions';
import { subjectCovers } from './stream-names';

const DEPLOY_NATS = join(__dirname, '../../../../deploy/nats');

const stream: StreamDefinition = {
  name: 'SIGNALS',
  description: '',
  subjects: ['signals.>'],
  storage: 'file',
  maxAge: 1,
  maxBytes: 1,
  maxMsgSize: 1,
  duplicateWindow: 1,
  replicas: 1,
};
const consumer = { durable: 'profile__tip_served', description: '', stream: 'SIGNALS', filterSubject: 'signals.tip.served', ackWait: 1, maxDeliver: 1, maxAckPending: 1 };

describe('NATS definitions', () => {
  it('loads deploy/nats: every consumer on a declared stream that holds its one filter subject', async () => {
    const definitions = await loadNatsDefinitions(DEPLOY_NATS);

    expect(definitions.streams.map((s) => s.name)).toEqual(expect.arrayContaining(['SIGNALS', 'USERS', 'PROFILE', 'DEADLETTER']));
    expect(definitions.streams.find((s) => s.name === 'SIGNALS')).toMatchObject({ maxAge: 30 * 86_400_000, maxMsgSize: 1024 ** 2 });
    expect(definitions.consumers.length).toBeGreaterThan(0);
    for (const c of definitions.consumers) expect(c.durable).toMatch(/^[a-z][a-z0-9-]*__[a-z0-9_]+$/);
  });

  it('reads durations and sizes the way people write them', () => {
    expect([parseDurationMs('500ms'), parseDurationMs('30s'), parseDurationMs('5m'), parseDurationMs('2h'), parseDurationMs('7d')]).toEqual([
      500, 30_000, 300_000, 7_200_000, 604_800_000,
    ]);
    expect([parseSizeBytes('512B'), parseSizeBytes('64KiB'), parseSizeBytes('1MiB'), parseSizeBytes('2GiB')]).toEqual([
      512, 65_536, 1_048_576, 2_147_483_648,
    ]);
    expect(() => parseDurationMs('30 seconds')).toThrow(expect.objectContaining({ code: 'EVENTS_DEFINITIONS_INVALID' }));
  });

  it('matches subjects with NATS wildcards', () => {
    expect(subjectCovers('signals.>', 'signals.tip.served')).toBe(true);
    expect(subjectCovers('signals.*.served', 'signals.tip.served')).toBe(true);
    expect(subjectCovers('signals.*', 'signals.tip.served')).toBe(false);
    expect(subjectCovers('signals.>', 'signals')).toBe(false);
    expect(subjectCovers('users.>', 'signals.tip.served')).toBe(false);
    expect(subjectCovers('signals.tip.*', 'signals.>')).toBe(false);
  });

  it('rejects a consumer named after another service, on an unknown stream, or outside its stream', () => {
    const check = (c: typeof consumer, service = 'profile') => () => validateDefinitions([stream], [{ service, consumers: [c] }]);
    expect(check(consumer)).not.toThrow();
    expect(check(consumer, 'notifier')).toThrow(/notifier__<purpose>/);
    expect(check({ ...consumer, stream: 'NOPE' })).toThrow(/unknown stream NOPE/);
    expect(check({ ...consumer, filterSubject: 'users.created' })).toThrow(/does not hold/);
    expect(() => validateDefinitions([stream], [{ service: 'profile', consumers: [consumer, consumer] }])).toThrow(/declared twice/);
  });
});
