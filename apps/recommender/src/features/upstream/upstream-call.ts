import http from 'node:http';
import https from 'node:https';
import type { Logger } from '@oo/logger';
import { RecommenderError } from '../../errors';

/** Why an upstream call gave no usable answer: our deadline passed, it could not be reached, or it answered wrongly. */
export type UpstreamFailure = 'timeout' | 'unavailable' | 'error';

/** `status` is set when the upstream answered, but not with a 2xx. */
export type UpstreamResult = { ok: true; body: unknown } | { ok: false; failure: UpstreamFailure; error: unknown; status?: number };

export interface JsonCall {
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** `bytes`: the answer's body comes back as a Buffer instead of parsed JSON. */
  response?: 'json' | 'bytes';
}

/** JSON calls to one upstream over its own pool of kept-alive connections. */
export interface JsonCaller {
  /** One request within a deadline that covers the whole answer; never rejects. */
  call(path: string, call: JsonCall): Promise<UpstreamResult>;
  /** Closes the pooled connections (shutdown). */
  close(): void;
}

// Status codes that say "not there right now" rather than "wrong answer".
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * A caller for one upstream. node:http with a keep-alive agent rather than the global fetch: on
 * the decision's hot path, fetch's web streams and abort signals cost more CPU than the request
 * itself. Every answer is read to its end, so its connection goes back to the pool; one that
 * misses the deadline is destroyed together with its connection.
 *
 * @example
 * const ml = jsonCaller('http://ml-serving:8086');
 * const result = await ml.call('/v1/score', { method: 'POST', headers, body, timeoutMs: 60 });
 */
export function jsonCaller(baseUrl: string, maxSockets = 64): JsonCaller {
  const base = new URL(baseUrl);
  const transport = base.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets });
  const prefix = base.pathname.replace(/\/$/, '');
  const target = { protocol: base.protocol, hostname: base.hostname, port: base.port, agent };

  const call = (path: string, options: JsonCall) =>
    new Promise<UpstreamResult>((resolve) => {
      let settled = false;
      const finish = (result: UpstreamResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const headers = options.body === undefined ? options.headers : { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) };
      const req = transport.request({ ...target, path: `${prefix}${path}`, method: options.method ?? 'GET', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => finish({ ok: false, failure: 'unavailable', error }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            finish({ ok: false, failure: UNAVAILABLE_STATUSES.has(status) ? 'unavailable' : 'error', error: new RecommenderError('RECOMMENDER_UPSTREAM_FAILED', `answered ${status}`), status });
            return;
          }
          try {
            const body = Buffer.concat(chunks);
            finish({ ok: true, body: options.response === 'bytes' ? body : JSON.parse(body.toString('utf8')) });
          } catch (error) {
            finish({ ok: false, failure: 'error', error });
          }
        });
      });
      const timer = setTimeout(() => {
        finish({ ok: false, failure: 'timeout', error: new RecommenderError('RECOMMENDER_UPSTREAM_FAILED', `no complete answer within ${options.timeoutMs} ms`) });
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (error) => finish({ ok: false, failure: 'unavailable', error }));
      req.end(options.body);
    });

  return { call, close: () => agent.destroy() };
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
