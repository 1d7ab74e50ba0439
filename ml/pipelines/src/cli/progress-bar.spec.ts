import { createProgressBar } from './progress-bar';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WriteStream };
}

describe('the progress bar', () => {
  it('redraws in place on a terminal, throttled, and ends its line', () => {
    let t = 0;
    const { writes, stream } = fakeStream(true);
    const bar = createProgressBar('rows', 200, { stream, width: 10, intervalMs: 100, now: () => t });
    bar.update(50);
    t = 50;
    bar.update(60); // inside the interval: not drawn
    t = 150;
    bar.update(100);
    bar.done();
    expect(writes).toEqual(['\rrows [###.......]  25 % 50/200', '\rrows [#####.....]  50 % 100/200', '\rrows [##########] 100 % 200/200', '\n']);
  });

  it('writes one line per tenth when piped with --progress, and nothing when disabled', () => {
    const piped = fakeStream(false);
    const bar = createProgressBar('rows', 1_000, { stream: piped.stream, enabled: true, width: 4, intervalMs: 0 });
    for (let i = 1; i <= 1_000; i++) bar.update(i);
    bar.done();
    // 0 %, then each tenth up to 100 %.
    expect(piped.writes).toHaveLength(11);
    expect(piped.writes[0]).toBe('rows [....]   0 % 1/1,000\n');
    expect(piped.writes.at(-1)).toBe('rows [####] 100 % 1,000/1,000\n');
    const quiet = fakeStream(false);
    const off = createProgressBar('rows', 10, { stream: quiet.stream });
    off.update(5);
    off.done();
    expect(quiet.writes).toEqual([]);
  });
});
