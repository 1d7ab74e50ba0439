import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { subjects, TaskUpsertedSchema } from '@oo/contracts';
import { createDb, migrateToLatest, sql, type Kysely } from '@oo/db';
import { connectJetStreamBus, consumerLag, createEventCodec, eventsMigrations, loadNatsDefinitions, PermanentEventError, provision, startConsumer, type JetStreamBus, type RunningConsumer } from '@oo/events';
import { createTestSchema, deleteStreamsWithPrefix, eventually, testNatsUrl, uniqueStreamPrefix, type TestSchema } from '@oo/testing';
import { runDeadLetterCommand } from './dead-letter-command';

// Two consumers of one subject; one gives up on an event (a bug), the other handles it. After
// the fix, `deadletters replay` hands the event to the one that gave up, once, and the other,
// which has it in its inbox, does nothing.
const DEFINITIONS = join(__dirname, '../../deploy/nats');
const codec = createEventCodec(subjects, { source: 'integrations' });

describe('npm run deadletters', () => {
  const prefix = uniqueStreamPrefix('deadletters');
  let schema: TestSchema;
  let db: Kysely<unknown>;
  let bus: JetStreamBus;
  const consumers: RunningConsumer[] = [];
  const handled = { fussy: [] as string[], easy: [] as string[] };
  let fussyIsFixed = false;
  const command = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDeadLetterCommand({ env: { NATS_URL: testNatsUrl(), STREAM_PREFIX: prefix }, argv, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  beforeAll(async () => {
    schema = await createTestSchema('deadletters');
    db = createDb({ url: schema.url, schema: schema.schema });
    await migrateToLatest(db, { schema: schema.schema, migrations: eventsMigrations });
    bus = await connectJetStreamBus({ servers: testNatsUrl(), prefix });
    const deployed = await loadNatsDefinitions(DEFINITIONS);
    const consumer = (durable: string) => ({ durable, description: 'deadletters test', stream: 'SIGNALS', filterSubject: 'signals.task.upserted', ackWait: 30_000, maxDeliver: 2, maxAckPending: 100 });
    await provision(bus.jsm, { streams: deployed.streams.map((s) => ({ ...s, maxBytes: Math.min(s.maxBytes, 8 * 1024 * 1024) })), consumers: [consumer('dltest__fussy'), consumer('dltest__easy')] }, { prefix });
    for (const name of ['fussy', 'easy'] as const) {
      consumers.push(
        await startConsumer({
          bus,
          db,
          durable: `dltest__${name}`,
          subject: 'signals.task.upserted',
          schema: TaskUpsertedSchema,
          backoffMs: [50],
          handler: async (_trx, event) => {
            if (name === 'fussy' && !fussyIsFixed) throw new PermanentEventError('the fussy consumer has a bug');
            handled[name].push(event.message.taskId);
          },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const c of consumers) await c.stop();
    await deleteStreamsWithPrefix(bus.jsm, prefix);
    await bus.drain();
    await db.destroy();
    await schema.drop();
  });

  it('lists the dead letter with its reason, and replays it to the consumer that gave up only', async () => {
    await bus.publish(codec.encode('signals.task.upserted', create(TaskUpsertedSchema, { taskId: 't-1', userId: 'u-1', title: 'x' }), { userId: 'u-1' }));
    await eventually(async () => (handled.easy.includes('t-1') ? true : undefined), 'the easy consumer');
    const listed = await eventually(async () => {
      const res = await command('list', '--durable', 'dltest__fussy');
      return res.out.length > 1 ? res : undefined;
    }, 'the dead letter');
    expect(listed.code).toBe(0);
    const [line, summary] = listed.out;
    expect(line?.split('\t').slice(2)).toEqual(['dltest__fussy', 'signals.task.upserted', 'permanent', 'PermanentEventError: the fussy consumer has a bug']);
    expect(summary).toBe(`1 dead letter of dltest__fussy in ${prefix}_DEADLETTER`);

    fussyIsFixed = true;
    const sequence = line?.split('\t')[0] ?? '';
    const replayed = await command('replay', sequence);
    expect(replayed).toMatchObject({ code: 0, err: [] });
    await eventually(async () => (handled.fussy.includes('t-1') ? true : undefined), 'the replayed event handled');
    await new Promise((r) => setTimeout(r, 300));
    expect(handled).toEqual({ fussy: ['t-1'], easy: ['t-1'] });
    const { rows } = await sql<{ consumer: string }>`select consumer from event_inbox order by consumer`.execute(db);
    expect(rows.map((r) => r.consumer)).toEqual(['dltest__easy', 'dltest__fussy']);
  });

  it("reports each durable consumer of the prefix's streams, none behind once all is handled", async () => {
    const lag = await consumerLag(bus.jsm, prefix);
    const ours = lag.filter((l) => l.durable.startsWith('dltest__'));
    expect(ours.map((l) => [l.stream, l.durable, l.pending, l.ackPending])).toEqual([
      [`${prefix}_SIGNALS`, 'dltest__easy', 0, 0],
      [`${prefix}_SIGNALS`, 'dltest__fussy', 0, 0],
    ]);
    expect(ours.every((l) => l.lastDeliveredAt !== null && !Number.isNaN(Date.parse(l.lastDeliveredAt)))).toBe(true);
    // Nobody else's streams: every consumer listed is on a stream of this prefix.
    expect(lag.every((l) => l.stream.startsWith(`${prefix}_`))).toBe(true);
  });

  it('says how to use it, and names a sequence that is no dead letter', async () => {
    expect(await command('replay', 'x')).toMatchObject({ code: 2, err: [expect.stringMatching(/^usage:/)] });
    expect(await command('purge')).toMatchObject({ code: 2 });
    expect(await command('replay', '999999')).toMatchObject({ code: 1, err: [`no dead letter 999999 in ${prefix}_DEADLETTER`] });
  });
});
