import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createModel, toSnapshot, type PolicySpec } from '@oo/bandit';
import { createDecisionFeaturizer, scoreRequestSchema, type ParsedScoreRequest, type ScoreResponse } from '@oo/decision-features';
import { encodeReplica, type PolicyAssignment } from '@oo/model-state';

/** How a fake upstream answers: properly, too late, by dropping the connection, or with nonsense. */
export type UpstreamMode = 'ok' | 'slow' | 'down' | 'garbage';

export interface FakeUpstream {
  url: string;
  mode: UpstreamMode;
  /** The Authorization header of every request, in order. */
  authorizations: string[];
  stop(): Promise<void>;
}

export interface FakeProfile extends FakeUpstream {
  /** What `GET /v1/profiles/:id/features` serves (status `fresh` unless set). */
  features: { name: string; value: number | string; status: string }[];
  registryReads: number;
}

export interface FakeMlServing extends FakeUpstream {
  requests: ParsedScoreRequest[];
  /** What the replica routes hand out as the promoted assignment (ADR 0019); none by default. */
  assignment?: PolicyAssignment;
}

// The replica routes serve a fresh model of the real layout with this catalog.
const REPLICA_POLICIES: Record<string, PolicySpec> = {
  linucb: { kind: 'linucb', alpha: 0.3, epsilon: 0.05 },
  thompson: { kind: 'thompson', samples: 64, epsilon: 0.05 },
  'epsilon-greedy': { kind: 'epsilon-greedy', epsilon: 0.1 },
  uniform: { kind: 'uniform' },
};
const REPLICA_POLL_MS = 100;

const SLOW_MS = 2_500;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

// Every request is recorded as it arrives, whatever the mode: a slow answer must not be
// recorded seconds later, after requests that came after it.
async function serve(
  state: FakeUpstream,
  handle: (req: IncomingMessage, body: string, res: ServerResponse) => void,
  record: (req: IncomingMessage, body: string) => void = () => undefined,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      state.authorizations.push(req.headers.authorization ?? '');
      record(req, body);
      if (state.mode === 'down') return void req.socket.destroy();
      if (state.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"layoutVersion": "fl-x", "results": "not a list"}');
      if (state.mode === 'slow') return void setTimeout(() => handle(req, body, res), SLOW_MS);
      handle(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The profile API as documented in apps/profile/README.md: features per user and the registry. */
export async function startFakeProfile(expectedToken: () => string): Promise<FakeProfile> {
  const state: FakeProfile = {
    url: '',
    mode: 'ok',
    authorizations: [],
    registryReads: 0,
    features: [
      { name: 'completion_rate_30d', value: 0.5, status: 'fresh' },
      { name: 'dismiss_rate_30d', value: 0.25, status: 'recomputed' },
      { name: 'preferred_hour', value: 9, status: 'fresh' },
      { name: 'favourite_tip_kind_30d', value: 'task', status: 'fresh' },
    ],
    stop: async () => undefined,
  };
  const { server, url } = await serve(state, (req, _body, res) => {
    if (req.url === '/v1/registry') {
      state.registryReads += 1;
      return send(res, 200, {
        registryVersion: 'r-test',
        features: [
          { name: 'completion_rate_30d', dtype: 'numeric', ttlSec: 60, description: 'x', invalidatedBy: [], fallback: 0.1, revision: 0 },
          { name: 'preferred_hour', dtype: 'numeric', ttlSec: 60, description: 'x', invalidatedBy: [], fallback: 9, revision: 0 },
          { name: 'favourite_tip_kind_30d', dtype: 'categorical', ttlSec: 60, description: 'x', invalidatedBy: [], fallback: 'none', revision: 0 },
        ],
      });
    }
    const match = /^\/v1\/profiles\/([^/]+)\/features$/.exec(req.url ?? '');
    if (!match) return send(res, 404, { code: 'ROUTE_NOT_FOUND' });
    if (req.headers.authorization !== `Bearer ${expectedToken()}`) return send(res, 401, { code: 'AUTH_INVALID_TOKEN' });
    const now = new Date().toISOString();
    send(res, 200, {
      userId: decodeURIComponent(match[1] ?? ''),
      registryVersion: 'r-test',
      features: state.features.map((f) => ({ ...f, dtype: typeof f.value === 'number' ? 'numeric' : 'categorical', computedAt: now, ageSec: 1 })),
    });
  });
  return Object.assign(state, { url, stop: close(server) });
}

/**
 * `POST /v1/score` as the score API specifies. Every policy gives candidate i a weight n − i, so
 * the first candidate is the most likely; shadows differ by policy so they can be told apart.
 */
export async function startFakeMlServing(expectedToken: () => string): Promise<FakeMlServing> {
  const state: FakeMlServing = { url: '', mode: 'ok', authorizations: [], requests: [], stop: async () => undefined };
  const parsedOf = new WeakMap<IncomingMessage, ReturnType<typeof scoreRequestSchema.safeParse>>();
  const layout = createDecisionFeaturizer().builder.layout;
  const handle = (req: IncomingMessage, _body: string, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${expectedToken()}`) return send(res, 401, { code: 'AUTH_INVALID_TOKEN' });
    // The replica routes as ml-serving's README describes them: a model that never learns here, and the assignment.
    if (req.method === 'GET' && req.url?.startsWith('/v1/models/current/replica')) {
      const document = { model: toSnapshot(createModel(layout)), complete: true, policies: REPLICA_POLICIES, ...(state.assignment ? { assignment: state.assignment } : {}) };
      return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(encodeReplica(document));
    }
    if (req.method === 'GET' && req.url?.startsWith('/v1/models/current/observations')) {
      // A long poll with nothing new: answer after a short wait, carrying the assignment.
      return void setTimeout(() => send(res, 200, { observations: [], layouts: {}, ...(state.assignment ? { assignment: state.assignment } : {}) }), REPLICA_POLL_MS);
    }
    if (req.method !== 'POST' || req.url !== '/v1/score') return send(res, 404, { code: 'ROUTE_NOT_FOUND' });
    const parsed = parsedOf.get(req);
    if (!parsed) return send(res, 400, { code: 'MALFORMED_JSON' });
    if (!parsed.success) return send(res, 400, { code: 'VALIDATION_FAILED', errors: parsed.error.issues });
    const n = parsed.data.candidates.length;
    const response: ScoreResponse = {
      layoutVersion: 'fl-test',
      results: parsed.data.policies.map((policy, k) => {
        const weights = parsed.data.candidates.map((_, i) => (k === 0 ? n - i : 1 + ((i + k) % 3)));
        const total = weights.reduce((a, b) => a + b, 0);
        return { policy, kind: 'linucb', probabilities: weights.map((w) => w / total), scores: weights, modelVersion: `fl-test/${k + 7}` };
      }),
    };
    send(res, 200, response);
  };
  const { server, url } = await serve(state, handle, (req, body) => {
    let parsed;
    try {
      parsed = scoreRequestSchema.safeParse(JSON.parse(body));
    } catch {
      return;
    }
    parsedOf.set(req, parsed);
    if (parsed.success) state.requests.push(parsed.data);
  });
  return Object.assign(state, { url, stop: close(server) });
}
