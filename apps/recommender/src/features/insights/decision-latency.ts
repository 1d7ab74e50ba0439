import type { Registry } from 'prom-client';

/** Quantiles of the time to answer POST /v1/recommend in this instance, from its HTTP histogram. */
export interface DecisionLatency {
  count: number;
  /** Upper bounds of the histogram buckets that hold each quantile, in milliseconds. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

interface BucketValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

// A bucket histogram knows each quantile only up to its bucket: the bound is reported, never more precise.
function quantileBound(buckets: readonly [number, number][], total: number, q: number): number | null {
  if (total === 0) return null;
  const found = buckets.find(([, cumulative]) => cumulative >= q * total);
  return found ? found[0] * 1000 : null;
}

/**
 * Reads the kit's `http_request_duration_seconds` for the decision route: how many decisions this
 * instance answered since it started, and the bucket bounds of their median, p95 and p99.
 *
 * @example
 * const latency = await decisionLatency(kit.registry);
 */
export async function decisionLatency(registry: Registry, route = '/v1/recommend'): Promise<DecisionLatency> {
  const metric = registry.getSingleMetric('http_request_duration_seconds');
  const values = ((await metric?.get())?.values ?? []) as BucketValue[];
  const byBound = new Map<number, number>();
  let count = 0;
  for (const v of values) {
    if (v.labels['route'] !== route || v.labels['method'] !== 'POST') continue;
    if (v.metricName?.endsWith('_bucket')) {
      const le = v.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels['le']);
      byBound.set(le, (byBound.get(le) ?? 0) + v.value);
    } else if (v.metricName?.endsWith('_count')) count += v.value;
  }
  const buckets = [...byBound.entries()].sort(([a], [b]) => a - b);
  return { count, p50Ms: quantileBound(buckets, count, 0.5), p95Ms: quantileBound(buckets, count, 0.95), p99Ms: quantileBound(buckets, count, 0.99) };
}
