/** What a test reads of an answer. */
export interface Answer {
  status: number;
  type: string;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export interface CallOptions {
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
  /** A JSON body (or a string sent as is, with `type`). */
  body?: unknown;
  type?: string;
}

/**
 * One request to the gateway, redirects not followed.
 *
 * @example
 * const res = await call(baseUrl, 'POST', '/v1/tips', { token });
 */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.cookie) headers['cookie'] = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.type ?? 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const parsed = text && /json/.test(type) ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: res.status, type, headers: res.headers, body: parsed, text };
}
