import { Agent, request } from 'node:http';
import { FUZZ_SAMPLE_ID, bodyCases, headerCases, pathCases, queryCases, type FuzzCase } from './hostile-inputs';
import type { RouteSpec } from './route-list';

/** Who sends a battery: a plain user (for whom the sample id is their own), an admin, a service. */
export type FuzzCaller = 'user' | 'admin' | 'service';

export interface FuzzOptions {
  /** The running server, e.g. `http://127.0.0.1:40123` (loopback only). */
  baseUrl: string;
  routes: readonly RouteSpec[];
  /** A valid bearer token for `caller`; a user token's subject should be `userId`. */
  token: (caller: FuzzCaller, userId: string) => Promise<string> | string;
  /** Valid values for path parameters by name; others get `FUZZ_SAMPLE_ID`. */
  params?: Record<string, string>;
  /** A valid body per route (`'PUT /v1/profiles/:userId/preferences'`): its fields are mutated one by one. */
  bodies?: Record<string, unknown>;
  callers?: readonly FuzzCaller[];
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** A request not answered within this counts as a failure (default 15 s). */
  timeoutMs?: number;
}

/** A response of 500 or more, or none at all (`status` 0: reset, hang-up or timeout). */
export interface FuzzFailure {
  caller: FuzzCaller;
  method: string;
  route: string;
  case: string;
  url: string;
  status: number;
  detail: string;
}

export interface FuzzReport {
  /** Requests sent, so a test can tell a clean run from an empty one. */
  sent: number;
  failures: FuzzFailure[];
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Job {
  caller: FuzzCaller;
  method: string;
  route: string;
  fuzz: FuzzCase;
  authorization: string;
}

function casesFor(route: RouteSpec, options: FuzzOptions): FuzzCase[] {
  const fill = (name: string) => options.params?.[name] ?? FUZZ_SAMPLE_ID;
  const validPath = route.path.replace(/[:*]([A-Za-z0-9_]+)/g, (_m, name: string) => encodeURIComponent(fill(name)));
  const sample = options.bodies?.[`${route.method} ${route.path}`];
  const plain = [...pathCases(route.path, fill), ...queryCases(validPath), ...headerCases(validPath)];
  if (!BODY_METHODS.has(route.method)) return plain;
  // Path, query and header attacks carry a valid body, so they reach the code past body parsing.
  const body = Buffer.from(JSON.stringify(sample ?? {}));
  const withBody = plain.map((c) => ({ ...c, headers: { 'content-type': 'application/json', ...c.headers }, body }));
  return [...withBody, ...bodyCases(validPath, sample)];
}

function send(base: URL, agent: Agent, job: Job, timeoutMs: number): Promise<{ status: number; detail: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...job.fuzz.headers, authorization: job.authorization };
    if (job.fuzz.body) headers['content-length'] = job.fuzz.body.length;
    const req = request({ host: base.hostname, port: base.port, method: job.method, path: job.fuzz.url, headers, agent, timeout: timeoutMs }, (res) => {
      let detail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (detail.length < 1000) detail += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, detail: detail.slice(0, 1000) }));
      res.on('error', (err) => resolve({ status: 0, detail: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ status: 0, detail: err.message }));
    req.end(job.fuzz.body);
  });
}

/**
 * Sends a battery of hostile requests to every route as each caller — broken percent-encodings,
 * ids of the wrong shape and size, bad query values, bodies of the wrong syntax, type, shape,
 * size, encoding and content type, and (given a sample body) each field replaced in turn — and
 * returns every response of 500 or more, or none. The request count is bounded by the routes.
 *
 * @example
 * const report = await fuzzRoutes({ baseUrl, routes: listRoutes(server), token: (caller, id) => tokenFor(caller, id) });
 * expect(report.failures).toEqual([]);
 */
export async function fuzzRoutes(options: FuzzOptions): Promise<FuzzReport> {
  const base = new URL(options.baseUrl);
  const callers = options.callers ?? ['user', 'admin', 'service'];
  const timeoutMs = options.timeoutMs ?? 15_000;
  const concurrency = options.concurrency ?? 4;
  const jobs: Job[] = [];
  for (const caller of callers) {
    const authorization = `Bearer ${await options.token(caller, FUZZ_SAMPLE_ID)}`;
    for (const route of options.routes) {
      for (const fuzz of casesFor(route, options)) jobs.push({ caller, method: route.method, route: route.path, fuzz, authorization });
    }
  }
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const failures: FuzzFailure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as Job;
      const { status, detail } = await send(base, agent, job, timeoutMs);
      if (status === 0 || status >= 500) {
        failures.push({ caller: job.caller, method: job.method, route: job.route, case: job.fuzz.name, url: job.fuzz.url.slice(0, 200), status, detail });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { sent: jobs.length, failures };
}
