import { UsageError } from '../cli/cli-args';
import { parseStreamArgs } from './stream-args';

describe('stream arguments', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('reads tail with a filter, a count and raw payloads', () => {
    expect(parseStreamArgs(['tail', 'signals.tip.*', '--count', '3', '--raw'], now)).toEqual({ command: 'tail', filter: 'signals.tip.*', count: 3, raw: true });
    expect(() => parseStreamArgs(['tail'], now)).toThrow('tail takes one subject filter');
    expect(() => parseStreamArgs(['tail', 'signals..x'], now)).toThrow('is not a NATS subject filter');
    expect(() => parseStreamArgs(['tail', 'a.>.b'], now)).toThrow(UsageError);
    expect(() => parseStreamArgs(['tail', 'signals.>', '--since', '1h'], now)).toThrow('tail does not take --since');
  });

  it('reads replay with a default filter and a time range', () => {
    expect(parseStreamArgs(['replay', '--since', '2026-03-01', '--until', '24h'], now)).toEqual({
      command: 'replay',
      filter: 'signals.>',
      since: new Date('2026-03-01T00:00:00Z'),
      until: new Date('2026-03-09T12:00:00Z'),
      raw: false,
    });
    expect(() => parseStreamArgs(['replay', '--since', '1h', '--until', '2h'], now)).toThrow('--until (2026-03-10T10:00:00.000Z) must be later than --since');
    expect(() => parseStreamArgs(['replay', '--until', 'tomorrow'], now)).toThrow('--until must be an ISO time');
  });

  it('reads export and names what is missing or wrong', () => {
    expect(parseStreamArgs(['export', '--format', 'parquet', '--out', 'd.parquet', '--reward-window', '12h', '--rewards', 'snooze=0.5', '--progress'], now)).toMatchObject({
      command: 'export',
      format: 'parquet',
      out: 'd.parquet',
      rewardWindowMs: 43_200_000,
      rewards: { done: 1, snooze: 0.5 },
      progress: true,
    });
    expect(() => parseStreamArgs(['export', '--out', 'd'], now)).toThrow('--format must be jsonl or parquet (got nothing)');
    expect(() => parseStreamArgs(['export', '--format', 'csv', '--out', 'd'], now)).toThrow('(got "csv")');
    expect(() => parseStreamArgs(['export', '--format', 'jsonl'], now)).toThrow('export needs --out');
    expect(() => parseStreamArgs(['export', '--format', 'jsonl', '--out', 'x', '--file', 'x'], now)).toThrow('would overwrite');
    expect(() => parseStreamArgs(['export', '--format', 'jsonl', '--out', 'x', '--count', '2'], now)).toThrow('export does not take --count');
  });

  it('answers help and refuses unknown commands and flags', () => {
    expect(parseStreamArgs([], now)).toEqual({ command: 'help' });
    expect(parseStreamArgs(['tail', '--help'], now)).toEqual({ command: 'help' });
    expect(() => parseStreamArgs(['follow', 'x'], now)).toThrow('unknown command "follow"');
    expect(() => parseStreamArgs(['tail', 'x', '--bogus'], now)).toThrow(UsageError);
  });
});
