import { UsageError } from '../cli/cli-args';
import { parseOpeArgs } from './ope-args';

describe('ope arguments', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('defaults to the whole stream, a 24 h window, the default rewards and a table', () => {
    expect(parseOpeArgs([], now)).toEqual({
      help: false,
      source: { kind: 'stream' },
      exportPath: undefined,
      since: undefined,
      rewardWindowMs: 86_400_000,
      rewards: { done: 1, snooze: 0.25, dismiss: 0, none: 0 },
      seed: 0,
      resamples: 1000,
      json: false,
      progress: undefined,
    });
  });

  it('reads a file source, a window, rewards, a seed and machine output', () => {
    const args = parseOpeArgs(['--file', 'd.jsonl', '--since', '7d', '--reward-window', '12h', '--rewards', 'snooze=0.5', '--seed', '9', '--json', '--progress'], now);
    expect(args).toMatchObject({
      source: { kind: 'file', path: 'd.jsonl' },
      since: new Date('2026-03-03T12:00:00Z'),
      rewardWindowMs: 43_200_000,
      rewards: { snooze: 0.5, done: 1 },
      seed: 9,
      json: true,
      progress: true,
    });
  });

  it('reads an export target', () => {
    expect(parseOpeArgs(['--export', 'out.jsonl', '--from-stream'], now)).toMatchObject({ exportPath: 'out.jsonl', source: { kind: 'stream' } });
  });

  it.each([
    [['--from-stream', '--file', 'x.jsonl'], /alternatives/],
    [['--since'], /argument missing/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--reward-window', '0h'], /longer than 0/],
    [['--seed=-1'], /--seed must be an integer/],
    [['--resamples', 'many'], /--resamples must be an integer/],
    [['--file', 'a.jsonl', '--export', 'a.jsonl'], /overwrite/],
    [['extra'], /positional argument/],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseOpeArgs(argv, now)).toThrow(UsageError);
    expect(() => parseOpeArgs(argv, now)).toThrow(message);
  });
});
