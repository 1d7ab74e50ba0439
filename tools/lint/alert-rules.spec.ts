import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../services';

// The alert rules stay true to the code: each rule is complete, and every metric an expression
// names is one a service defines (a renamed metric would otherwise silence its alert for good).

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = (parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

function sourceText(dir: string): string {
  return readdirSync(dir)
    .filter((name) => !['node_modules', 'dist', 'gen', 'test', 'bench'].includes(name))
    .map((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceText(path);
      return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? readFileSync(path, 'utf8') : '';
    })
    .join('\n');
}
const code = ['apps', 'libs', 'ml'].map((d) => sourceText(join(ROOT, d))).join('\n');

describe('deploy/prometheus/alerts.yml', () => {
  it('covers what operations must hear about', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual(expect.arrayContaining(['ConsumerLagging', 'DecisionLatencyHigh', 'DeletionOverdue', 'ErrorRateHigh', 'EventsDeadLettered', 'OutboxStale']));
  });

  it.each(rules.map((r) => [r.alert ?? '(unnamed)', r] as const))('%s is complete and names only metrics the code defines', (_name, rule) => {
    expect(rule.alert).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(['page', 'ticket']).toContain(rule.labels?.['severity']);
    expect(rule.annotations?.['summary']).toBeTruthy();
    const metrics = [...new Set((rule.expr ?? '').match(/\b(?:oo_[a-z_]+|http_[a-z_]+)\b/g) ?? [])];
    expect(metrics.length).toBeGreaterThan(0);
    for (const metric of metrics) {
      const base = metric.replace(/_(bucket|count|sum)$/, '');
      expect({ metric, defined: code.includes(`'${base}'`) }).toEqual({ metric, defined: true });
    }
  });
});
