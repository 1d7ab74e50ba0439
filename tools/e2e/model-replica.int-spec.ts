// The recommender scores decisions in process on a replica of ml-serving's model. Real processes,
// real Postgres and JetStream: a decision the replica scored must carry exactly the
// probabilities ml-serving gives the same request at the same model version, for the live policy
// and every shadow, and the replica must follow what ml-serving learns.
import { fromBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { TipServedSchema, type TipServed } from '@oo/contracts';
import { eventually, testNatsUrl } from '@oo/testing';
import { DEV_ADMIN_NAME } from '../system/dev-identity';
import type { RunningSystem } from '../system/launch-system';
import { call, connectTaskFeed, launchTestSystem, SERVICE_WAIT_MS, type TaskFeed } from './e2e-support';

jest.setTimeout(180_000);

let system: RunningSystem & { prefix: string };
let feed: TaskFeed;

beforeAll(async () => {
  system = await launchTestSystem('replica', { ML_TIMEOUT_MS: '1000', PROFILE_TIMEOUT_MS: '1000' });
  feed = await connectTaskFeed(testNatsUrl(), system.prefix);
});

afterAll(async () => {
  await feed?.close();
  await system?.stop();
});

const STATUS = ['fresh', 'fresh', 'recomputed', 'fallback'] as const;

// The score request ml-serving would have been sent for this decision, rebuilt from its event.
function scoreRequestOf(event: TipServed) {
  const context = event.context;
  return {
    userId: event.userId,
    decisionId: event.decisionId,
    candidateFeatures: event.featureLayout,
    candidates: event.candidates.map((c) => ({ id: c.candidateId, features: c.features })),
    context: {
      features: (context?.features ?? []).map((f) => ({ name: f.name, value: f.value.value ?? 0, status: STATUS[f.status] ?? 'fallback' })),
      timezone: context?.timezone ?? '',
      localHour: context?.localHour ?? 0,
      localWeekday: context?.localWeekday ?? 0,
    },
    policies: [event.policy, ...event.shadowPolicies.map((s) => s.policy)],
  };
}

async function servedEvent(decisionId: string): Promise<TipServed> {
  return eventually(async () => {
    const m = await feed.bus.jsm.streams.getMessage(`${system.prefix}_SIGNALS`, { last_by_subj: `${system.prefix}.signals.tip.served` }).catch(() => null);
    const event = m ? fromBinary(TipServedSchema, m.data) : undefined;
    return event?.decisionId === decisionId ? event : undefined;
  }, 'the served event', SERVICE_WAIT_MS, 100);
}

async function scoredByReplica(): Promise<number> {
  const text = await (await fetch(`${system.url('recommender')}/metrics`)).text();
  return Number(/^oo_recommender_scored_total\{by="replica"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
}

it('scores a decision in process exactly as ml-serving would at the same version, and follows what it learns', async () => {
  const { userId: user, accessToken: token } = await system.signIn('replica-ada');
  const { accessToken: admin } = await system.signIn(DEV_ADMIN_NAME);
  const recommender = system.url('recommender');
  const ml = system.url('ml-serving');
  await feed.upsert({
    taskId: 'task-replica-1',
    userId: user,
    source: 'todoist',
    externalId: 'td-r1',
    title: 'Send the invoice',
    priority: 3,
    dueAt: timestampFromDate(new Date(Date.now() + 3_600_000)),
    createdAt: timestampFromDate(new Date(Date.now() - 86_400_000)),
  });

  // Once the replica is loaded, a decision is scored in process (the metric counts it).
  const decide = async (): Promise<TipServed | undefined> => {
    const before = await scoredByReplica();
    const res = await call('POST', `${recommender}/v1/recommend`, token);
    if (res.status !== 200 || (await scoredByReplica()) <= before) return undefined;
    return servedEvent((res.body as { decisionId: string }).decisionId);
  };
  const first = await eventually(decide, 'a decision scored by the replica', SERVICE_WAIT_MS, 200);
  expect(first.fallback).toBe(false);
  expect(first.shadowPolicies.length).toBeGreaterThan(0);

  const sameAsMl = async (event: TipServed) => {
    const scored = await call('POST', `${ml}/v1/score`, admin, scoreRequestOf(event));
    expect(scored.status).toBe(200);
    const results = (scored.body as { results: { policy: string; probabilities: number[]; modelVersion: string }[] }).results;
    expect(results[0]).toMatchObject({ policy: event.policy, modelVersion: event.modelVersion, probabilities: event.probabilities });
    for (const shadow of event.shadowPolicies) {
      expect(results.find((r) => r.policy === shadow.policy)).toMatchObject({ probabilities: shadow.probabilities, modelVersion: shadow.modelVersion });
    }
  };
  // Nothing is learned until feedback arrives (the reward window is a day), so ml-serving is still at that version.
  await sameAsMl(first);

  expect((await call('POST', `${recommender}/v1/tips/${first.decisionId}/feedback`, token, { reaction: 'done' })).status).toBe(202);
  const learned = await eventually(async () => {
    const model = (await call('GET', `${ml}/v1/models/current`, admin)).body as { version: string };
    return model.version !== first.modelVersion ? model : undefined;
  }, 'ml-serving to learn from the feedback', SERVICE_WAIT_MS, 100);

  const next = await eventually(async () => {
    const event = await decide();
    return event?.modelVersion === learned.version ? event : undefined;
  }, 'the replica to follow the model to its new version', SERVICE_WAIT_MS, 200);
  await sameAsMl(next);
});
