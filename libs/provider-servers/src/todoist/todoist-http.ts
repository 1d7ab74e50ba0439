// The wire format of the local Todoist: JSON answers, API v1's error object, redirects back to
// the app, and request parameters from a form (as documented) or a JSON body (as the SDKs send).
import type { IncomingMessage, ServerResponse } from 'node:http';

// Todoist's documented limit on a request body.
const MAX_BODY_BYTES = 1024 * 1024;

/** A request's parameters, from a form or a JSON body. */
export type Params = Record<string, unknown>;

/**
 * Answers with JSON, never cached (tokens travel in some answers).
 *
 * @example
 * send(res, 200, { access_token, token_type: 'Bearer' });
 */
export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Answers with API v1's error object: a message, a numeric code, a machine-readable tag, the status.
 *
 * @example
 * apiError(res, 401, 'Invalid token', 401, 'AUTH_INVALID_TOKEN');
 */
export function apiError(res: ServerResponse, status: number, error: string, code: number, tag: string, extra: Params = {}, headers: Record<string, string> = {}): void {
  send(res, status, { error, error_code: code, error_extra: extra, error_tag: tag, http_code: status }, headers);
}

/**
 * The documented 400 for a required argument left out.
 *
 * @example
 * if (syncToken === undefined) return missing(res, 'sync_token');
 */
export function missing(res: ServerResponse, argument: string): void {
  apiError(res, 400, 'Required argument is missing', 19, 'ARGUMENT_MISSING', { argument });
}

/**
 * The documented 400 for an argument that does not parse.
 *
 * @example
 * if (!types) return invalid(res, 'resource_types');
 */
export function invalid(res: ServerResponse, argument: string): void {
  apiError(res, 400, 'Invalid argument value', 20, 'INVALID_ARGUMENT_VALUE', { argument });
}

/**
 * Sends the browser back to the app with the given query parameters added.
 *
 * @example
 * redirect(res, 'https://app.example/callback', { code, state });
 */
export function redirect(res: ServerResponse, to: string, params: Record<string, string>): void {
  const location = new URL(to);
  for (const [key, value] of Object.entries(params)) location.searchParams.set(key, value);
  res.writeHead(302, { location: location.href, 'cache-control': 'no-store' });
  res.end();
}

/**
 * The body's parameters: undefined when it exceeds Todoist's 1 MiB, a rejection when JSON does not parse.
 *
 * @example
 * const params = await readParams(req);
 */
export async function readParams(req: IncomingMessage): Promise<Params | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks).toString('utf8');
  if (!(req.headers['content-type'] ?? '').includes('json')) return Object.fromEntries(new URLSearchParams(body));
  const parsed = JSON.parse(body === '' ? '{}' : body) as unknown;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Params) : {};
}

/**
 * A parameter as a non-empty string, else undefined.
 *
 * @example
 * const code = text(params['code']);
 */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The client id and secret of an `Authorization: Basic …` header.
 *
 * @example
 * const client = basicCredentials(req); // { clientId, clientSecret } or undefined
 */
export function basicCredentials(req: IncomingMessage): { clientId: string; clientSecret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/**
 * `resource_types` as a list: a JSON-encoded array of strings in a form, an array in a JSON body.
 *
 * @example
 * resourceTypes('["items"]'); // ['items']
 */
export function resourceTypes(value: unknown): string[] | undefined {
  try {
    const types = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    return Array.isArray(types) && types.every((t) => typeof t === 'string') ? types : undefined;
  } catch {
    return undefined;
  }
}
