// SIGTERM to every service at once, under a steady load of decisions and feedback through the
// gateway: no request that got an answer failed, every process exits cleanly within its grace
// period, and every event of an answered request is on the stream or still in its outbox (to be
// published at the next start) — none lost. The gateway closes at once; the services behind it
// go on serving for SHUTDOWN_DRAIN_MS so the gateway's requests in flight finish.
import { fromBinary } from '@bufbuild/protobuf';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import { eventually, testDatabaseUrl, testNatsUrl } from '@oo/testing';
import type { DevSession } from '../system/dev-sign-in';
import type { RunningSystem } from '../system/launch-system';
import { call, launchTestSystem } from './e2e-support';

jest.setTimeout(180_000);

const WORKERS = 4;
const LOAD_BEFORE_MS = 3_000;
const GRACE_MS = 10_000;
let system: RunningSystem & { prefix: string };

beforeAll(async () => {
  system = await launchTestSystem('graceful', { SHUTDOWN_DRAIN_MS: '2000', RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_USER: '1000000' }, { serviceEnv: { gateway: { SHUTDOWN_DRAIN_MS: '0' } } });
});
afterAll(() => system?.stop());

// A failed answer keeps its problem's code and detail, so a failure here says which hop refused.
type Outcome = { kind: 'answered'; status: number; problem?: string } | { kind: 'refused' };

it('answers every request it accepted, loses no event, and exits cleanly within the grace period', async () => {
  const gateway = system.url('gateway');
  const sessions: DevSession[] = [];
  for (let i = 0; i < 8; i++) sessions.push(await system.signIn(`graceful-${i}`));
  for (const s of sessions) expect((await call('POST', `${gateway}/v1/me/tasks`, s.accessToken, { title: 'Water the plants', priority: 2 })).status).toBe(201);
  for (const s of sessions) await eventually(async () => ((await call('POST', `${gateway}/v1/tips`, s.accessToken)).status === 200 ? true : undefined), 'a first tip', 15_000, 100);

  const outcomes: Outcome[] = [];
  const served = new Set<string>();
  const reacted = new Set<string>();
  let stopping = false;
  let gatewayDown = false;
  const send = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await call(method, `${gateway}${path}`, token, body).catch(() => undefined);
    const problem = res && res.status >= 400 ? JSON.stringify(res.body).slice(0, 300) : undefined;
    outcomes.push(res ? { kind: 'answered', status: res.status, ...(problem ? { problem: `${method} ${path.split('/').slice(0, 3).join('/')}: ${problem}` } : {}) } : { kind: 'refused' });
    if (!res && stopping) gatewayDown = true;
    return res;
  };
  const worker = async (w: number) => {
    for (let i = w; !gatewayDown; i += WORKERS) {
      const s = sessions[i % sessions.length];
      if (!s) return;
      const tip = await send('POST', '/v1/tips', s.accessToken);
      const decisionId = (tip?.body as { decisionId?: string } | undefined)?.decisionId;
      if (tip?.status !== 200 || !decisionId) continue;
      served.add(decisionId);
      const feedback = await send('POST', `/v1/tips/${decisionId}/feedback`, s.accessToken, { reaction: 'dismiss' });
      if (feedback?.status === 202) reacted.add(decisionId);
    }
  };
  const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  await new Promise((r) => setTimeout(r, LOAD_BEFORE_MS));

  stopping = true;
  const exits = await Promise.all(
    [...system.services.values()].map(async (s) => {
      const began = Date.now();
      await s.stop();
      return { service: s.name, ms: Date.now() - began, code: s.child.exitCode, signal: s.child.signalCode };
    }),
  );
  gatewayDown = true;
  await load;

  const answered = outcomes.filter((o): o is Extract<Outcome, { kind: 'answered' }> => o.kind === 'answered');
  expect(answered.filter((o) => o.status >= 400).map((o) => `${o.status} ${o.problem ?? ''}`)).toEqual([]);
  for (const e of exits) expect({ service: e.service, code: e.code, signal: e.signal, inGrace: e.ms < GRACE_MS }).toEqual({ service: e.service, code: 0, signal: null, inGrace: true });

  // Every event of an answered request is on the stream, or in its service's outbox for the next start.
  const onStream = new Map<string, Set<string>>([['signals.tip.served', new Set()], ['signals.tip.feedback', new Set()]]);
  const nc = await connect({ servers: testNatsUrl() });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = `${system.prefix}_SIGNALS`;
    const { state } = await jsm.streams.info(stream);
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      const subject = m?.subject.slice(system.prefix.length + 1) ?? '';
      if (m && subject === 'signals.tip.served') onStream.get(subject)?.add(fromBinary(TipServedSchema, m.data).decisionId);
      if (m && subject === 'signals.tip.feedback') onStream.get(subject)?.add(fromBinary(TipFeedbackSchema, m.data).decisionId);
    }
  } finally {
    await nc.close();
  }
  const db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  let waiting = 0;
  try {
    const { rows } = await db.query<{ subject: string; payload: Buffer }>(`select subject, payload from "${system.prefix}_recommender".event_outbox where published_at is null`);
    waiting = rows.length;
    for (const r of rows) {
      if (r.subject === 'signals.tip.served') onStream.get(r.subject)?.add(fromBinary(TipServedSchema, r.payload).decisionId);
      if (r.subject === 'signals.tip.feedback') onStream.get(r.subject)?.add(fromBinary(TipFeedbackSchema, r.payload).decisionId);
    }
  } finally {
    await db.end();
  }
  expect([...served].filter((d) => !onStream.get('signals.tip.served')?.has(d))).toEqual([]);
  expect([...reacted].filter((d) => !onStream.get('signals.tip.feedback')?.has(d))).toEqual([]);

  console.log(
    `graceful shutdown under load: ${answered.length} requests answered (all 2xx), ${outcomes.length - answered.length} refused at connect once the gateway had closed; ` +
      `${served.size} tips and ${reacted.size} reactions, every event on the stream or (${waiting}) in the outbox; exits: ${exits.map((e) => `${e.service} ${(e.ms / 1000).toFixed(1)} s`).join(', ')}`,
  );
});
