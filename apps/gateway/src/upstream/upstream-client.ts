import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Response } from 'express';
import { REQUEST_ID_HEADER, requestContext } from '@oo/http';
import { answerFailure, connectionFailure, UpstreamTimeout } from './upstream-failure';

/** One call to an upstream. `body` is sent as JSON unless it is a Buffer (then `contentType` says what it is). */
export interface UpstreamCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/v1/tips/history?limit=10`. */
  path: string;
  /** `Bearer …`: the caller's access token or the gateway's service token. */
  authorization?: string;
  body?: unknown;
  contentType?: string;
}

export interface UpstreamOptions {
  timeoutMs: number;
  maxSockets: number;
}

// Headers of a 2xx answer that mean something to the client; hop-by-hop ones never pass.
const PIPED_HEADERS = ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified', 'location', 'retry-after', 'pragma', 'content-disposition'] as const;
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);

/**
 * A kept-alive connection pool to one upstream service: forwards the request's id and trace
 * context, enforces one deadline per call, and turns failures into the gateway's problems
 * (timeout 504, unreachable 503, 5xx 502, 4xx passed through).
 *
 * @example
 * const profile = new UpstreamClient('profile', config.PROFILE_URL, { timeoutMs: 5000, maxSockets: 64 });
 * await profile.pipe({ method: 'GET', path: `/v1/profiles/${userId}/features`, authorization }, res);
 */
export class UpstreamClient {
  private readonly base: URL;
  private readonly agent: Agent;
  private readonly send: typeof request;

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly options: UpstreamOptions,
  ) {
    this.base = new URL(baseUrl);
    const https = this.base.protocol === 'https:';
    // Idle sockets are let go well before the upstreams' keep-alive timeout (65 s), so we never write to one the server is closing.
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets, timeout: 30_000, scheduling: 'lifo' as const };
    this.agent = https ? new HttpsAgent(agentOptions) : new Agent(agentOptions);
    this.send = (https ? httpsRequest : request) as typeof request;
  }

  /** Streams a 2xx answer to the client as it comes (status, body and its meaningful headers); anything else is thrown as a problem. */
  async pipe(call: UpstreamCall, res: Response, status?: number): Promise<void> {
    const answer = await this.call(call, res);
    if (answer.statusCode === undefined || answer.statusCode < 200 || answer.statusCode >= 300) throw await answerFailure(this.name, answer);
    res.status(status ?? answer.statusCode);
    copyHeaders(answer.headers, res);
    answer.pipe(res);
    await new Promise<void>((resolve) => {
      answer.once('end', resolve);
      answer.once('error', () => {
        res.destroy();
        resolve();
      });
    });
  }

  /** The parsed JSON of a 2xx answer (`undefined` for 204); anything else is thrown as a problem. */
  async json<T>(call: UpstreamCall, res: Response): Promise<{ status: number; body: T }> {
    const answer = await this.call(call, res);
    const status = answer.statusCode ?? 502;
    if (status < 200 || status >= 300) throw await answerFailure(this.name, answer);
    let text = '';
    try {
      for await (const chunk of answer) text += String(chunk);
    } catch (err) {
      throw connectionFailure(this.name, err);
    }
    return { status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Closes the idle connections (shutdown). */
  close(): void {
    this.agent.destroy();
  }

  private async call(call: UpstreamCall, res: Response): Promise<IncomingMessage> {
    try {
      return await this.attempt(call, res);
    } catch (err) {
      // A kept-alive socket the server closed just as we wrote: the request never arrived, so an idempotent one is sent again once.
      if (IDEMPOTENT.has(call.method) && (err as { reusedSocket?: boolean }).reusedSocket) return this.attempt(call, res).catch((e: unknown) => Promise.reject(connectionFailure(this.name, e)));
      throw connectionFailure(this.name, err);
    }
  }

  private attempt(call: UpstreamCall, res: Response): Promise<IncomingMessage> {
    const context = requestContext(res);
    const payload = call.body === undefined ? undefined : Buffer.isBuffer(call.body) ? call.body : Buffer.from(JSON.stringify(call.body));
    const headers: OutgoingHttpHeaders = { [REQUEST_ID_HEADER]: context.requestId, traceparent: context.traceparent, accept: 'application/json' };
    if (call.authorization) headers['authorization'] = call.authorization;
    if (payload) {
      headers['content-type'] = call.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = this.send({
        agent: this.agent,
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        port: this.base.port,
        method: call.method,
        path: call.path,
        headers,
      });
      // One deadline for the whole exchange, body included: a stalled stream is cut, not left hanging.
      const timer = setTimeout(() => req.destroy(new UpstreamTimeout(`${this.name}: no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      req.once('response', (answer) => {
        answer.once('close', () => clearTimeout(timer));
        // Whoever reads the body sees a cut stream; an answer nobody reads must not crash the process.
        answer.on('error', () => undefined);
        resolve(answer);
      });
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(Object.assign(err, { reusedSocket: req.reusedSocket && !(err instanceof UpstreamTimeout) && (err as NodeJS.ErrnoException).code === 'ECONNRESET' }));
      });
      req.end(payload);
    });
  }
}

function copyHeaders(from: IncomingHttpHeaders, res: Response): void {
  for (const name of PIPED_HEADERS) {
    const value = from[name];
    if (value !== undefined) res.setHeader(name, value);
  }
}
