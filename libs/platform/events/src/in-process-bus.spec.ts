import { create } from '@bufbuild/protobuf';
import { Int64ValueSchema } from '@bufbuild/protobuf/wkt';
import type { Delivery } from './event-bus.types';
import { createEventCodec } from './event-codec';
import { createInProcessBus } from './in-process-bus';

const codec = createEventCodec({ 'signals.test.counted': Int64ValueSchema }, { source: 'test' });
const counted = (value: number, userId?: string) =>
  codec.encode('signals.test.counted', create(Int64ValueSchema, { value: BigInt(value) }), { userId });
const valueOf = (d: Delivery) => Number(codec.decode('signals.test.counted', d).message.value);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error('condition never held');
}

describe('in-process bus', () => {
  it('delivers to durables whose filter matches, including events published before they subscribed', async () => {
    const bus = createInProcessBus();
    await bus.publish(counted(1));
    const exact: number[] = [];
    const wildcard: number[] = [];
    await bus.subscribe({ durable: 'a__exact', subject: 'signals.test.counted' }, async (d) => (exact.push(valueOf(d)), d.ack()));
    await bus.subscribe({ durable: 'a__all', subject: 'signals.>' }, async (d) => (wildcard.push(valueOf(d)), d.ack()));
    await bus.subscribe({ durable: 'a__other', subject: 'users.>' }, async () => {
      throw new Error('must not receive signals');
    });

    await bus.publish(counted(2));
    await until(() => exact.length === 2 && wildcard.length === 2);

    expect(exact).toEqual([1, 2]);
    expect(wildcard).toEqual([1, 2]);
    await bus.drain();
  });

  it('treats a repeated event id as a duplicate', async () => {
    const bus = createInProcessBus();
    const event = counted(1);
    const first = await bus.publish(event);
    expect(await bus.publish(event)).toEqual({ ...first, duplicate: true });
    await bus.drain();
  });

  it('redelivers a nak-ed event with a higher delivery count, and not a terminated one', async () => {
    const bus = createInProcessBus();
    const counts: Array<[number, number]> = [];
    await bus.subscribe({ durable: 'a__retry', subject: 'signals.test.counted' }, async (d) => {
      counts.push([valueOf(d), d.deliveryCount]);
      if (valueOf(d) === 1 && d.deliveryCount < 3) d.nak(1);
      else if (valueOf(d) === 2) d.term('poison');
      else d.ack();
    });

    await bus.publish(counted(1));
    await bus.publish(counted(2));
    await until(() => counts.length === 4);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(counts).toEqual(expect.arrayContaining([[1, 1], [1, 2], [1, 3], [2, 1]]));
    expect(counts).toHaveLength(4);
    await bus.drain();
  });

  it("handles one user's events in order while other users' run alongside", async () => {
    const bus = createInProcessBus();
    const seen: string[] = [];
    await bus.subscribe({ durable: 'a__ordered', subject: 'signals.test.counted', concurrency: 4 }, async (d) => {
      // Later events finish sooner, so only the per-user queue keeps them in order.
      await new Promise((resolve) => setTimeout(resolve, 12 - valueOf(d) * 3));
      seen.push(`${d.headers['ce-subject']}:${valueOf(d)}`);
      d.ack();
    });

    for (let n = 1; n <= 3; n++) {
      await bus.publish(counted(n, 'ann'));
      await bus.publish(counted(n, 'bob'));
    }
    await until(() => seen.length === 6);

    expect(seen.filter((s) => s.startsWith('ann'))).toEqual(['ann:1', 'ann:2', 'ann:3']);
    expect(seen.filter((s) => s.startsWith('bob'))).toEqual(['bob:1', 'bob:2', 'bob:3']);
    await bus.drain();
  });

  it('keeps a durable position across stop and a new subscription', async () => {
    const bus = createInProcessBus();
    const first: number[] = [];
    const sub = await bus.subscribe({ durable: 'a__durable', subject: 'signals.test.counted' }, async (d) => (first.push(valueOf(d)), d.ack()));
    await bus.publish(counted(1));
    await until(() => first.length === 1);
    await sub.stop();
    expect(sub.health()).toEqual({ healthy: false, reason: 'stopped' });

    await bus.publish(counted(2));
    const second: number[] = [];
    await bus.subscribe({ durable: 'a__durable', subject: 'signals.test.counted' }, async (d) => (second.push(valueOf(d)), d.ack()));
    await until(() => second.length === 1);

    expect(second).toEqual([2]);
    await bus.drain();
    await expect(bus.publish(counted(3))).rejects.toMatchObject({ code: 'EVENTS_BUS_CLOSED' });
  });

  it('gives every fan-out subscriber every event, the retained ones since its start time first', async () => {
    const bus = createInProcessBus();
    await bus.publish(counted(1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await bus.publish(counted(2));
    const first: number[] = [];
    const second: number[] = [];
    const value = (e: { subject: string; headers: Readonly<Record<string, string>>; data: Uint8Array }) => valueOf({ ...e, deliveryCount: 1 } as Delivery);
    await bus.subscribeFanOut({ subject: 'signals.test.counted', since }, (e) => void first.push(value(e)));
    const sub = await bus.subscribeFanOut({ subject: 'signals.test.counted', since: new Date(0) }, (e) => void second.push(value(e)));
    // A durable on the same subject does not take events away from them.
    await bus.subscribe({ durable: 'a__counted', subject: 'signals.test.counted' }, async (d) => d.ack());
    await bus.publish(counted(3));
    await until(() => first.length === 2 && second.length === 3);
    expect(first).toEqual([2, 3]);
    expect(second).toEqual([1, 2, 3]);
    await sub.stop();
    await bus.publish(counted(4));
    await until(() => first.length === 3);
    expect(second).toEqual([1, 2, 3]);
    await bus.drain();
  });
});
