import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, millis, type NatsConnection } from '@nats-io/transport-node';
import { loadNatsDefinitions, provision, type NatsDefinitions } from '../src';
import { testNatsUrl, uniqueStreamPrefix } from '@oo/testing';

describe('provision', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let definitions: NatsDefinitions;
  const prefix = uniqueStreamPrefix('provision');

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
    jsm = await jetstreamManager(nc);
    const deployed = await loadNatsDefinitions(join(__dirname, '../../../../deploy/nats'));
    // Small byte limits: JetStream reserves each stream's limit on the shared server.
    definitions = { ...deployed, streams: deployed.streams.map((s) => ({ ...s, maxBytes: 16 * 1024 * 1024 })) };
  });
  afterAll(async () => {
    for (const s of definitions.streams) await jsm.streams.delete(`${prefix}_${s.name}`).catch(() => false);
    await nc.close();
  });

  it('creates every stream and consumer of deploy/nats, then finds nothing to do', async () => {
    const first = await provision(jsm, definitions, { prefix });
    const second = await provision(jsm, definitions, { prefix });

    expect(first).toHaveLength(definitions.streams.length + definitions.consumers.length);
    expect(new Set(first.map((s) => s.action))).toEqual(new Set(['created']));
    expect(new Set(second.map((s) => s.action))).toEqual(new Set(['unchanged']));

    const signals = await jsm.streams.info(`${prefix}_SIGNALS`);
    expect(signals.config).toMatchObject({ subjects: [`${prefix}.signals.>`], storage: 'file', max_msg_size: 1024 ** 2 });
    expect(millis(signals.config.duplicate_window)).toBe(300_000);
    const consumer = await jsm.consumers.info(`${prefix}_SIGNALS`, 'profile__tip_feedback');
    expect(consumer.config).toMatchObject({
      durable_name: 'profile__tip_feedback',
      filter_subject: `${prefix}.signals.tip.feedback`,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      max_deliver: 8,
    });
  });

  it('updates a stream and a consumer whose definition changed', async () => {
    const changed: NatsDefinitions = {
      streams: definitions.streams.map((s) => (s.name === 'USERS' ? { ...s, maxAge: 86_400_000 } : s)),
      consumers: definitions.consumers.map((c) => (c.durable === 'profile__tip_feedback' ? { ...c, maxDeliver: 3 } : c)),
    };

    const steps = await provision(jsm, changed, { prefix });

    expect(steps.filter((s) => s.action === 'updated').map((s) => s.name)).toEqual([`${prefix}_USERS`, 'profile__tip_feedback']);
    expect(millis((await jsm.streams.info(`${prefix}_USERS`)).config.max_age)).toBe(86_400_000);
    expect((await jsm.consumers.info(`${prefix}_SIGNALS`, 'profile__tip_feedback')).config.max_deliver).toBe(3);
  });
});
