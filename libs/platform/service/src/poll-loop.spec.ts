import { createLogger } from '@oo/logger';
import { startPollLoop } from './poll-loop';

const log = createLogger({ service: 'poll-loop-spec', level: 'silent' });
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('startPollLoop', () => {
  it('runs a pass at once, again at once while work is waiting, then waits the interval', async () => {
    const waiting = [3, 2, 1, 0];
    let passes = 0;
    const loop = startPollLoop({ what: 'test', intervalMs: 60_000, log, pass: async () => (waiting[passes++] ?? 0) > 1 });
    await until(() => passes === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(passes).toBe(3);
    loop.poke();
    await until(() => passes === 4);
    await loop.stop();
  });

  it('never runs two passes at once; a poke during a pass runs one more after it', async () => {
    let active = 0;
    let most = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const loop = startPollLoop({
      what: 'test',
      intervalMs: 60_000,
      log,
      pass: async () => {
        active++;
        most = Math.max(most, active);
        passes++;
        if (passes === 1) await new Promise<void>((r) => (release = r));
        active--;
        return false;
      },
    });
    await until(() => passes === 1);
    loop.poke();
    loop.poke();
    release();
    await until(() => passes === 2);
    await new Promise((r) => setTimeout(r, 30));
    expect([passes, most]).toEqual([2, 1]);
    await loop.stop();
  });

  it('goes on after a failed pass, and stop waits for the pass in flight', async () => {
    let passes = 0;
    let finished = false;
    const loop = startPollLoop({
      what: 'test',
      intervalMs: 1,
      log,
      pass: async () => {
        passes++;
        if (passes === 1) throw new Error('database away');
        await new Promise((r) => setTimeout(r, 20));
        finished = true;
        return false;
      },
    });
    await until(() => passes >= 2);
    await loop.stop();
    expect(finished).toBe(true);
    const after = passes;
    await new Promise((r) => setTimeout(r, 20));
    expect(passes).toBe(after);
  });
});
