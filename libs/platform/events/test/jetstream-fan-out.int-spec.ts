import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { eventually, startPrivateNatsServer, uniqueStreamPrefix, type PrivateNatsServer } from '@oo/testing';
import { connectJetStreamBus, createEventCodec, provision, validateDefinitions, type FanOutEvent, type FanOutSubscription, type JetStreamBus } from '../src';

const codec = createEventCodec({ 'users.revoked': StringValueSchema }, { source: 'auth' });
const revoked = (value: string) => codec.encode('users.revoked', create(StringValueSchema, { value }));
const valueOf = (e: FanOutEvent) => codec.decode('users.revoked', { ...e, deliveryCount: 1 } as never).message.value;

// Fan-out on a private broker of its own, which the test kills and restarts (file storage keeps the stream).
describe('fan-out subscriptions on JetStream', () => {
  const prefix = uniqueStreamPrefix('fanout');
  const definitions = validateDefinitions(
    [{ name: 'USERS', description: 'fan-out test stream', subjects: ['users.>'], storage: 'file', maxAge: 3_600_000, maxBytes: 8 * 1024 ** 2, maxMsgSize: 1024 ** 2, duplicateWindow: 120_000, replicas: 1 }],
    [],
  );
  let nats: PrivateNatsServer;
  const buses: JetStreamBus[] = [];
  const subs: FanOutSubscription[] = [];
  const connect = async (name: string) => {
    const bus = await connectJetStreamBus({ servers: nats.url, name, prefix, fetchExpiresMs: 1_000, recoverDelaysMs: [50, 100, 250] });
    await bus.whenConnected();
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    const admin = await connect('admin');
    await provision(admin.jsm, definitions, { prefix });
  });
  afterAll(async () => {
    await Promise.all(subs.map((s) => s.stop()));
    for (const bus of buses) await bus.drain();
    await nats.stop();
  });

  it('gives every process every event since its start time, resumes after a broker restart without gaps or repeats', async () => {
    const [publisher] = buses as [JetStreamBus];
    await publisher.publish(revoked('before-since'));
    await eventually(async () => ((await publisher.jsm.streams.info(`${prefix}_USERS`)).state.messages === 1 ? true : undefined), 'the first event stored');
    const since = new Date(Date.now() + 5);
    await new Promise((r) => setTimeout(r, 20)); // the next event is stored strictly after `since`
    await publisher.publish(revoked('old'));

    const seen: [string[], string[]] = [[], []];
    for (const [i, list] of seen.entries()) {
      const bus = await connect(`instance-${i}`);
      subs.push(await bus.subscribeFanOut({ subject: 'users.revoked', since }, (e) => void list.push(valueOf(e))));
    }
    await publisher.publish(revoked('new'));
    await eventually(async () => (seen.every((l) => l.length === 2) ? true : undefined), 'both instances to see both events');
    expect(seen).toEqual([['old', 'new'], ['old', 'new']]);
    expect(subs.every((s) => s.health().healthy)).toBe(true);

    await nats.kill();
    await eventually(async () => (subs.every((s) => !s.health().healthy) ? true : undefined), 'the subscriptions to report the outage');
    await nats.start();
    await eventually(async () => (publisher.health().healthy ? true : undefined), 'the publisher to reconnect', 30_000, 50);
    await eventually(async () => publisher.publish(revoked('after-restart')).then(() => true, () => undefined), 'a publish after the restart', 30_000, 100);
    await eventually(async () => (seen.every((l) => l.length === 3) ? true : undefined), 'both instances to resume', 30_000, 50);
    expect(seen).toEqual([['old', 'new', 'after-restart'], ['old', 'new', 'after-restart']]);
    await eventually(async () => (subs.every((s) => s.health().healthy) ? true : undefined), 'the subscriptions to be healthy again');
  });
});
