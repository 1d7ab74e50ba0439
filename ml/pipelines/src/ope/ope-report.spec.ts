import { joinDecisionLog } from '@oo/off-policy';
import { syntheticLog } from '../../test/support/synthetic-log';
import { formatOpeReport } from './ope-report';
import { evaluateDecisionLog } from './run-ope';

describe('the OPE table', () => {
  const now = new Date('2026-03-20T00:00:00Z');

  it('lists what was read, then one row per policy with n, ESS and the three estimates', () => {
    const synthetic = syntheticLog({ seed: 4, decisions: 120, start: new Date('2026-03-01T00:00:00Z'), fallbackEvery: 6 });
    const young = syntheticLog({ seed: 5, decisions: 3, start: new Date('2026-03-19T20:00:00Z') }).served.map((s) => ({ ...s, decisionId: `young-${s.decisionId}` }));
    const report = evaluateDecisionLog(joinDecisionLog([...synthetic.served, ...young], synthetic.feedback, now), { now, resamples: 100, source: { kind: 'file', path: 'd.jsonl' } });
    const text = formatOpeReport(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Decision log: file d.jsonl; reward window 1d; rewards done 1 / snooze 0.25 / dismiss 0 / no reaction 0');
    expect(lines[1]).toMatch(/^123 decisions: 120 settled \(done \d+, snooze \d+, dismiss \d+, no reaction \d+\), 3 unsettled .*, 20 settled by the fallback policy$/);
    expect(lines[3]).toMatch(/^policy\s+n\s+ESS\s+IPS\s+SNIPS\s+DR\s+logged$/);
    expect(lines[4]).toMatch(/^live \(uniform-logger\)\s+100\s+100\s+\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]/);
    expect(lines[5]).toMatch(/^fallback \(default-uniform\)\s+20\s/);
    expect(lines[6]).toMatch(/^shadow:truth-greedy\s+100\s/);
    expect(lines[7]).toMatch(/^uniform\s+120\s/);
    expect(text).toContain('95 % percentile bootstrap intervals (100 resamples, seed 0)');
  });

  it('says so when there are no decisions', () => {
    const report = evaluateDecisionLog(joinDecisionLog([], [], now), { now, source: { kind: 'stream', servers: 'nats://x', prefix: 't_1' } });
    expect(formatOpeReport(report)).toBe(
      'Decision log: stream t_1_SIGNALS; reward window 1d; rewards done 1 / snooze 0.25 / dismiss 0 / no reaction 0\nNo decisions in the log: nothing to evaluate.\n',
    );
  });
});
