import type { Logger } from '@oo/logger';

/** Why an upstream call gave no usable answer: our deadline passed, it could not be reached, or it answered wrongly. */
export type UpstreamFailure = 'timeout' | 'unavailable' | 'error';

export type UpstreamResult = { ok: true; body: unknown } | { ok: false; failure: UpstreamFailure; error: unknown };

export interface JsonCall {
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

// Status codes that say "not there right now" rather than "wrong answer".
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

// By name, not instanceof: the abort's DOMException may come from another realm (jest's vm, for one).
function thrownFailure(err: unknown): UpstreamFailure {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  return name === 'SyntaxError' ? 'error' : 'unavailable';
}

/**
 * One JSON request within a deadline that covers the body too; never rejects. Uses the global
 * fetch, whose pool keeps connections alive; the body is always read to the end so the
 * connection goes back to the pool.
 *
 * @example
 * const result = await callJson(`${url}/v1/score`, { method: 'POST', headers, body, timeoutMs: 60 });
 */
export async function callJson(url: string, call: JsonCall): Promise<UpstreamResult> {
  try {
    const res = await fetch(url, { method: call.method ?? 'GET', headers: call.headers, body: call.body, signal: AbortSignal.timeout(call.timeoutMs) });
    const text = await res.text();
    if (!res.ok) {
      return { ok: false, failure: UNAVAILABLE_STATUSES.has(res.status) ? 'unavailable' : 'error', error: new Error(`answered ${res.status}`) };
    }
    return { ok: true, body: JSON.parse(text) };
  } catch (err) {
    return { ok: false, failure: thrownFailure(err), error: err };
  }
}

/** Remembers whether an upstream answered last time, so an outage logs once when it starts and once when it ends. */
export interface UpstreamHealth {
  succeeded(): void;
  failed(failure: UpstreamFailure, error: unknown): void;
}

/**
 * Logs transitions only: at hundreds of decisions a second a line per failed call would bury
 * everything else (the decisions metric counts every fallback).
 *
 * @example
 * const health = upstreamHealth(log, 'ml-serving');
 * health.failed('timeout', err); // warns once, until the next success
 */
export function upstreamHealth(log: Logger, upstream: string): UpstreamHealth {
  let failing = false;
  return {
    succeeded() {
      if (!failing) return;
      failing = false;
      log.info({ upstream }, 'upstream answers again');
    },
    failed(failure, error) {
      if (failing) return;
      failing = true;
      log.warn({ upstream, failure, err: error }, 'upstream failed; using the fallback until it answers again');
    },
  };
}
