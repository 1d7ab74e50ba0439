import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** ml-serving's policy routes as its README documents them, with no switch made yet. */
export interface FakeMlServing {
  url: string;
  /** Every request as `METHOD path`, in order. */
  requests: string[];
  stop(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function problem(res: ServerResponse, status: number, code: string, detail: string): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', status, code, detail }));
}

// The real routes and their rule are tested in ml/serving (policy-promotion.int-spec.ts); running
// ml-serving here as a fifth process made the gateway system too slow to start on a loaded machine.
/** @example const ml = await startFakeMlServing(); // ML_SERVING_URL: ml.url */
export async function startFakeMlServing(): Promise<FakeMlServing> {
  const requests: string[] = [];
  const handle = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    requests.push(`${req.method} ${path}`);
    if (!req.headers.authorization?.startsWith('Bearer ')) return problem(res, 401, 'AUTH_MISSING_TOKEN', 'no bearer token');
    if (req.method === 'GET' && path === '/v1/policies') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"assignment":null,"history":[]}');
    if (req.method === 'POST' && path === '/v1/policies/promotions') {
      let since: unknown;
      try {
        since = (JSON.parse(body) as { since?: unknown }).since;
      } catch {
        return problem(res, 400, 'MALFORMED_JSON', 'the body is not JSON');
      }
      if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) return problem(res, 400, 'VALIDATION_FAILED', 'since must be an ISO time');
      const evaluation = { since, basedOn: null, rule: 'snips.lower > live.snips.upper and dr.lower > live.dr.upper, n >= 500 for both', live: null, promote: null, shadows: [], reasons: ['no settled decisions of the live policy in the evidence window'], estimates: [], decisions: { total: 0, settled: 0, unsettled: 0, fallback: 0, invalid: 0, untimed: 0 } };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ promoted: false, evaluation }));
    }
    const revert = /^\/v1\/policies\/promotions\/([^/]+)\/revert$/.exec(path);
    if (req.method === 'POST' && revert) return UUID.test(revert[1] ?? '') ? problem(res, 404, 'ML_PROMOTION_NOT_FOUND', 'no such switch') : problem(res, 400, 'VALIDATION_FAILED', 'not a uuid');
    problem(res, 404, 'ROUTE_NOT_FOUND', `${req.method} ${path}`);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
