import { feedback, Reaction, scoreRequest, served } from './support/decisions';
import { eventually } from '@oo/testing';
import { startMlHarness, type MlHarness, type MlInstance } from './support/ml-serving-harness';

// Several instances on one schema share the durable consumers (each event reaches one of them)
// and the observation log (every instance learns every observation, in the same order).
describe('several ml-serving instances', () => {
  let h: MlHarness;
  let b: MlInstance;
  const reactions = [Reaction.DONE, Reaction.DISMISS, Reaction.SNOOZE, Reaction.DONE];

  const observations = async (instance: MlInstance): Promise<number> => {
    const res = await fetch(`${instance.baseUrl}/v1/models/current`, { headers: { authorization: `Bearer ${await h.token('service')}` } });
    return ((await res.json()) as { observations: number }).observations;
  };
  const allReach = (instances: MlInstance[], n: number) =>
    eventually(async () => ((await Promise.all(instances.map(observations))).every((o) => o === n) ? true : undefined), `every instance at ${n}`);
  const score = async (instance: MlInstance, userId: string): Promise<unknown> => {
    const res = await fetch(`${instance.baseUrl}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token('service')}` },
      body: JSON.stringify(scoreRequest(userId, 'same-decision', ['linucb', 'thompson', 'epsilon-greedy'])),
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const learn = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const userId = `u${i % 3}`;
      await h.publish('signals.tip.served', served(`d${i}`, userId, i % 3), userId);
      await h.publish('signals.tip.feedback', feedback(`d${i}`, userId, reactions[i % reactions.length] as Reaction), userId);
    }
  };

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ml-two-instances', env: { CHECKPOINT_EVERY: '4', SNAPSHOT_RETENTION: '2' } });
    b = await h.startInstance();
  });
  afterAll(() => h.stop());

  it('converge to the same version and identical scores, whichever instance settled each decision', async () => {
    await learn(0, 10);
    await allReach([h, b], 10);
    for (const userId of ['u0', 'u1', 'someone-new']) expect(await score(b, userId)).toEqual(await score(h, userId));
    const linucb = ((await score(h, 'u0')) as { results: { scores: number[]; modelVersion: string }[] }).results[0];
    expect(linucb?.modelVersion).toMatch(/\/10$/);
    expect(new Set(linucb?.scores).size).toBe(3);
  });

  it('checkpoint as they learn, keep only the newest snapshots and the log they need', async () => {
    const snapshots = await h.db.selectFrom('model_snapshots').select('version').orderBy('version').execute();
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    expect(snapshots.length).toBeLessThanOrEqual(2);
    const oldest = Number(snapshots[0]?.version);
    const log = await h.db.selectFrom('learned_observations').select('seq').orderBy('seq').execute();
    expect(log.map((r) => Number(r.seq))).toEqual(Array.from({ length: 10 - oldest }, (_, i) => oldest + 1 + i));
  });

  it('let a new instance start from the newest snapshot plus the log, then learn in step with the others', async () => {
    const c = await h.startInstance();
    expect(await observations(c)).toBe(10);
    const metrics = await (await fetch(`${c.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ml_model_reloads_total\{[^}]*reason="start:snapshot"[^}]*\} 1$/m);
    expect(await score(c, 'u2')).toEqual(await score(h, 'u2'));

    await learn(10, 13);
    await allReach([h, b, c], 13);
    for (const userId of ['u0', 'u1', 'u2']) {
      const reference = await score(h, userId);
      expect(await score(b, userId)).toEqual(reference);
      expect(await score(c, userId)).toEqual(reference);
    }
  });
});
