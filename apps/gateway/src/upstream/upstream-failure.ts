import type { IncomingMessage } from 'node:http';
import { HttpProblem } from '@oo/http';
import { GatewayError } from '../errors';

// Members of a problem document the gateway writes itself; the rest are the upstream's extensions.
const OWN_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId']);
// Headers of a 4xx worth passing on: they tell the client how to retry or authenticate.
const PASSED_HEADERS = ['retry-after', 'www-authenticate'] as const;
const MAX_PROBLEM_BYTES = 64 * 1024;

/** Marks our own deadline, so it is told apart from a reset the upstream caused. */
export class UpstreamTimeout extends Error {
  override readonly name = 'UpstreamTimeout';
}

/**
 * A call that got no answer: our deadline passed (504), or the connection was refused, reset or
 * never resolved (503: the client may retry; `cause` keeps the socket error for the log).
 */
export function connectionFailure(upstream: string, err: unknown): Error {
  if (err instanceof UpstreamTimeout) return new GatewayError('GATEWAY_UPSTREAM_TIMEOUT', `${upstream} did not answer in time`, { cause: err });
  return new GatewayError('GATEWAY_UPSTREAM_UNAVAILABLE', `${upstream} cannot be reached`, { cause: err });
}

async function readSmall(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) {
    if (text.length < MAX_PROBLEM_BYTES) text += String(chunk);
  }
  return text;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The error for an upstream answer that is not 2xx: a 4xx becomes the same status with the
 * upstream's code, detail and extension members (e.g. `errors`, OAuth's `error`) under the
 * gateway's own `instance` and request id; a 5xx (or a redirect, which no upstream sends) is 502.
 *
 * @example
 * if (res.statusCode >= 300) throw await answerFailure('profile', res);
 */
export async function answerFailure(upstream: string, res: IncomingMessage): Promise<Error> {
  const status = res.statusCode ?? 502;
  if (status < 400 || status >= 500) {
    res.resume();
    return new GatewayError('GATEWAY_UPSTREAM_FAILED', `${upstream} answered ${status}`);
  }
  const doc = parseObject(await readSmall(res)) ?? {};
  const extra = Object.fromEntries(Object.entries(doc).filter(([k]) => !OWN_MEMBERS.has(k)));
  const headers: Record<string, string> = {};
  for (const name of PASSED_HEADERS) {
    const value = res.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return new HttpProblem(status, {
    ...(str(doc['code']) ? { code: str(doc['code']) } : {}),
    ...(str(doc['title']) ? { title: str(doc['title']) } : {}),
    ...(str(doc['type']) ? { type: str(doc['type']) } : {}),
    detail: str(doc['detail']),
    extra,
    headers,
  });
}
