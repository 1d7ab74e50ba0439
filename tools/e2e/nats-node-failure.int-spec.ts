// Losing a NATS node under load: every service on a real 3-node JetStream cluster (streams at 3
// replicas), a steady stream of decisions and feedback through the gateway, one node SIGKILLed
// and later restarted. Every tip served and every reaction accepted is on the stream exactly
// once and applied exactly once downstream (ml-serving learns each reward once, profile counts
// each served tip once); the services reconnect on their own. The figures are printed.
import { fromBinary } from '@bufbuild/protobuf';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import { eventually, nodeAnswers, startPrivateNatsCluster, testDatabaseUrl, uniqueStreamPrefix, type PrivateNatsCluster } from '@oo/testing';
import type { DevSession } from '../system/dev-sign-in';
import { launchSystem, type RunningSystem } from '../system/launch-system';
import { call } from './e2e-support';

jest.setTimeout(300_000);

const USERS = 12;
const LOAD_MS = 24_000;
const KILL_AT_MS = 6_000;
const RESTART_AT_MS = 14_000;

let cluster: PrivateNatsCluster;
let system: RunningSystem;
const prefix = uniqueStreamPrefix('nats_failover');

beforeAll(async () => {
  cluster = await startPrivateNatsCluster(3);
  system = await launchSystem({
    databaseUrl: testDatabaseUrl(),
    natsUrl: cluster.url,
    streamPrefix: prefix,
    schemaPrefix: prefix,
    ports: 'free',
    streamMaxBytes: '64MiB',
    env: { LOG_LEVEL: 'error', STREAM_REPLICAS: '3', RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_USER: '1000000' },
  });
});

afterAll(async () => {
  await system?.stop();
  await cluster?.stop();
});

/** The stream's replica count and whether every follower has caught up with its leader. */
async function replication(stream: string): Promise<{ replicas: number; current: boolean; leader: string | undefined }> {
  const nc = await connect({ servers: cluster.url.split(',') });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    const followers = info.cluster?.replicas ?? [];
    return { replicas: info.config.num_replicas, current: followers.length === info.config.num_replicas - 1 && followers.every((r) => r.current && !r.offline), leader: info.cluster?.leader };
  } finally {
    await nc.close();
  }
}

async function storedOn(stream: string): Promise<{ subject: string; data: Uint8Array }[]> {
  const nc = await connect({ servers: cluster.url.split(',') });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(stream);
    const out: { subject: string; data: Uint8Array }[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (m) out.push({ subject: m.subject, data: m.data });
    }
    return out;
  } finally {
    await nc.close();
  }
}

it('loses no acknowledged event and applies none twice when a node is killed and comes back', async () => {
  const gateway = system.url('gateway');
  const sessions: DevSession[] = [];
  for (let i = 0; i < USERS; i++) sessions.push(await system.signIn(`failover-${i}`));
  for (const s of sessions) expect((await call('POST', `${gateway}/v1/me/tasks`, s.accessToken, { title: `Task of ${s.userId}`, priority: 1 })).status).toBe(201);
  for (const s of sessions) await eventually(async () => ((await call('POST', `${gateway}/v1/tips`, s.accessToken)).status === 200 ? true : undefined), 'a first tip', 15_000, 100);

  const served = new Map<string, string>(); // decision → user
  const reacted = new Set<string>();
  const failures: number[] = [];
  const started = Date.now();
  let killedAt = 0;
  let restartedAt = 0;
  let caughtUpAt = 0;
  const timeline = (async () => {
    await new Promise((r) => setTimeout(r, KILL_AT_MS));
    const n1 = cluster.nodes.get('n1');
    if (!n1) throw new Error('no node n1');
    await n1.kill();
    killedAt = Date.now();
    await new Promise((r) => setTimeout(r, RESTART_AT_MS - KILL_AT_MS));
    restartedAt = Date.now();
    await n1.start();
    await nodeAnswers(n1);
    // The restarted node catches up: the stream's followers current again, under the load.
    caughtUpAt = await eventually(async () => ((await replication(`${prefix}_SIGNALS`)).current ? Date.now() : undefined), 'n1 caught up', 60_000, 100);
  })();
  let i = 0;
  while (Date.now() - started < LOAD_MS) {
    const s = sessions[i++ % USERS];
    if (!s) break;
    const t0 = Date.now();
    const tip = await call('POST', `${gateway}/v1/tips`, s.accessToken).catch(() => ({ status: 0, body: undefined }));
    const decisionId = (tip.body as { decisionId?: string } | undefined)?.decisionId;
    if (tip.status === 200 && decisionId) {
      served.set(decisionId, s.userId);
      const feedback = await call('POST', `${gateway}/v1/tips/${decisionId}/feedback`, s.accessToken, { reaction: 'done' }).catch(() => ({ status: 0 }));
      if (feedback.status === 202) reacted.add(decisionId);
      else failures.push(Date.now() - started);
    } else failures.push(t0 - started);
    await new Promise((r) => setTimeout(r, 40));
  }
  await timeline;
  expect(await replication(`${prefix}_SIGNALS`)).toMatchObject({ replicas: 3, current: true });

  // Every acknowledged reaction reaches ml-serving once; every served tip reaches profile once.
  const db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  try {
    const learned = await eventually(async () => {
      const { rows } = await db.query<{ decision_id: string; n: number }>(`select decision_id, count(*)::int as n from "${prefix}_ml_serving".learned_observations where kind = 'reward' group by decision_id`);
      return rows.filter((r) => reacted.has(r.decision_id)).length === reacted.size ? rows : undefined;
    }, 'every accepted reaction learned', 60_000, 500);
    expect(learned.filter((r) => r.n !== 1)).toEqual([]);
    const { rows: projected } = await db.query<{ decision_id: string }>(`select decision_id from "${prefix}_profile".tip_served`);
    expect(projected.map((r) => r.decision_id).filter((d) => served.has(d)).length).toBe(served.size);
  } finally {
    await db.end();
  }
  // On the stream: each served tip and each accepted reaction exactly once.
  const stored = await storedOn(`${prefix}_SIGNALS`);
  const count = (subject: string, schema: typeof TipServedSchema | typeof TipFeedbackSchema) => {
    const seen = new Map<string, number>();
    for (const m of stored.filter((x) => x.subject === `${prefix}.${subject}`)) {
      const id = fromBinary(schema, m.data).decisionId;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    return seen;
  };
  const servedOnStream = count('signals.tip.served', TipServedSchema);
  const feedbackOnStream = count('signals.tip.feedback', TipFeedbackSchema);
  expect([...served.keys()].filter((d) => servedOnStream.get(d) !== 1)).toEqual([]);
  expect([...reacted].filter((d) => feedbackOnStream.get(d) !== 1)).toEqual([]);
  // profile's count of tips served agrees with what each user was served: nothing counted twice.
  for (const s of sessions.slice(0, 4)) {
    const res = await call('GET', `${gateway}/v1/me/features`, s.accessToken);
    expect({ status: res.status, body: res.status === 200 ? 'features' : res.body }).toEqual({ status: 200, body: 'features' });
    const features = res.body as { features: { name: string; value: number }[] };
    const mine = [...served.values()].filter((u) => u === s.userId).length + 1; // plus the first tip before the load
    expect({ user: s.userId, volume: features.features.find((f) => f.name === 'tip_volume_30d')?.value }).toEqual({ user: s.userId, volume: mine });
  }

  const gap = failures.length > 0 ? Math.max(...failures) - Math.min(...failures) : 0;
  const recovered = failures.length > 0 ? Math.max(...failures) + started - killedAt : 0;
  console.log(
    `NATS node failure: ${served.size} tips served and ${reacted.size} reactions accepted in ${LOAD_MS / 1000} s; n1 killed at ${((killedAt - started) / 1000).toFixed(1)} s, restarted at ${((restartedAt - started) / 1000).toFixed(1)} s; ` +
      `${failures.length} requests failed, over ${(gap / 1000).toFixed(1)} s; the last failure ${(recovered / 1000).toFixed(1)} s after the kill; SIGNALS fully replicated again ${((caughtUpAt - restartedAt) / 1000).toFixed(1)} s after the restart; 0 lost, 0 applied twice`,
  );
});
