import { EventEmitter } from 'node:events';
import { captureLog } from '../test/capture-log';
import { onShutdown, type SignalSource } from './shutdown';

function signals(): SignalSource & { emit(signal: NodeJS.Signals): void } {
  const emitter = new EventEmitter();
  return {
    on: (signal, listener) => emitter.on(signal, listener),
    off: (signal, listener) => emitter.off(signal, listener),
    emit: (signal) => emitter.emit(signal),
  };
}

describe('onShutdown', () => {
  afterEach(() => jest.useRealTimers());

  it('runs every step in order on SIGTERM, then exits 0', async () => {
    const { log } = captureLog();
    const order: string[] = [];
    const exit = jest.fn();
    const source = signals();
    const handle = onShutdown(
      log,
      [
        { name: 'not ready', run: () => order.push('not ready') },
        { name: 'http', run: async () => order.push('http') },
        { name: 'consumers', run: async () => order.push('consumers') },
        { name: 'bus', run: async () => order.push('bus') },
        { name: 'database', run: async () => order.push('database') },
      ],
      { exit, source },
    );
    source.emit('SIGTERM');
    await handle.trigger('test');
    expect(order).toEqual(['not ready', 'http', 'consumers', 'bus', 'database']);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
    handle.dispose();
  });

  it('logs a failing step, still runs the next ones, and exits 1', async () => {
    const { log, lines } = captureLog();
    const later = jest.fn();
    const exit = jest.fn();
    const handle = onShutdown(
      log,
      [
        async function stopConsumers() {
          throw new Error('consumer stuck');
        },
        later,
      ],
      { exit, source: signals() },
    );
    await handle.trigger('test');
    expect(later).toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines.find((l) => l['msg'] === 'shutdown step failed')).toMatchObject({
      level: 'error',
      step: 'stopConsumers',
      err: expect.objectContaining({ message: 'consumer stuck' }),
    });
  });

  it('runs the steps once however often it is triggered', async () => {
    const { log } = captureLog();
    const step = jest.fn();
    const handle = onShutdown(log, [step], { exit: jest.fn(), source: signals() });
    await Promise.all([handle.trigger('a'), handle.trigger('b')]);
    expect(step).toHaveBeenCalledTimes(1);
  });

  it('exits 1 when the steps outlast the grace period', async () => {
    jest.useFakeTimers();
    const { log, lines } = captureLog();
    const exit = jest.fn();
    const handle = onShutdown(log, [() => new Promise(() => undefined)], { exit, source: signals(), graceMs: 5_000 });
    void handle.trigger('test');
    await jest.advanceTimersByTimeAsync(4_999);
    expect(exit).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines.some((l) => l['msg'] === 'shutdown grace period elapsed; exiting')).toBe(true);
  });

  it('exits at once on a second signal', () => {
    const { log } = captureLog();
    const exit = jest.fn();
    const source = signals();
    onShutdown(log, [() => new Promise(() => undefined)], { exit, source });
    source.emit('SIGINT');
    expect(exit).not.toHaveBeenCalled();
    source.emit('SIGINT');
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('stops listening after dispose', () => {
    const { log } = captureLog();
    const step = jest.fn();
    const source = signals();
    onShutdown(log, [step], { exit: jest.fn(), source }).dispose();
    source.emit('SIGTERM');
    expect(step).not.toHaveBeenCalled();
  });
});
