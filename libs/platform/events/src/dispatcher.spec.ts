import { createDispatcher } from './dispatcher';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function gate() {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('dispatcher', () => {
  it('runs at most its capacity at once and frees a slot when a task settles', async () => {
    const d = createDispatcher(2, () => undefined);
    const [a, b] = [gate(), gate()];
    d.dispatch('a', () => a.promise);
    d.dispatch('b', () => b.promise);
    expect(d.freeSlots()).toBe(0);

    const slot = d.waitForSlot();
    a.open();
    await slot;

    expect(d.freeSlots()).toBe(1);
    b.open();
    await d.idle();
    expect(d.inFlight()).toBe(0);
  });

  it('runs tasks with the same key one after another, in order', async () => {
    const d = createDispatcher(4, () => undefined);
    const order: string[] = [];
    const first = gate();
    d.dispatch('user', async () => {
      await first.promise;
      order.push('user-1');
    });
    d.dispatch('user', async () => void order.push('user-2'));
    d.dispatch('other', async () => void order.push('other-1'));
    await tick();

    expect(order).toEqual(['other-1']);
    first.open();
    await d.idle();
    expect(order).toEqual(['other-1', 'user-1', 'user-2']);
  });

  it('reports a failing task and keeps going', async () => {
    const errors: unknown[] = [];
    const d = createDispatcher(2, (err) => errors.push(err));
    d.dispatch('k', () => Promise.reject(new Error('boom')));
    d.dispatch('k', async () => undefined);
    await d.idle();
    expect(errors).toEqual([new Error('boom')]);
  });
});
