import { feedback, DECISION_TIME, Reaction, scoreRequest, served } from './support/decisions';
import { eventually } from '@oo/testing';
import { startMlHarness, type MlHarness } from './support/ml-serving-harness';

interface ModelStatus {
  layoutVersion: string;
  version: string;
  observations: number;
}

// The decision log on the real JetStream teaches the model: each settled decision exactly once,
// whatever the order and however often its events arrive.
describe('online learning from the decision log', () => {
  let h: MlHarness;
  let now = new Date(DECISION_TIME.getTime() + 120_000);
  const user = 'u-learn';

  const status = async (): Promise<ModelStatus> => {
    const res = await fetch(`${h.baseUrl}/v1/models/current`, { headers: { authorization: `Bearer ${await h.token('service')}` } });
    return (await res.json()) as ModelStatus;
  };
  const observationsReach = (n: number) => eventually(async () => ((await status()).observations === n ? status() : undefined), `${n} observations learned`);
  // epsilon-greedy ranks by the model's mean, so its scores are the predicted rewards.
  const means = async (): Promise<number[]> => {
    const res = await fetch(`${h.baseUrl}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token('service')}` },
      body: JSON.stringify(scoreRequest(user, 'probe', ['epsilon-greedy'])),
    });
    return ((await res.json()) as { results: { scores: number[] }[] }).results[0]?.scores ?? [];
  };
  const decision = (id: string) => h.db.selectFrom('decisions').selectAll().where('decision_id', '=', id).executeTakeFirst();
  const lateFeedback = async (): Promise<number> => {
    const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
    return Number(/^ml_late_feedback_total\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
  };

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ml-learning', clock: () => now, env: { REWARD_SNOOZE: '0.5' } });
  });
  afterAll(() => h.stop());

  it('learns a served decision and its feedback once: the version advances by one and the prediction moves toward the reward', async () => {
    const before = await means();
    expect(before).toEqual([0, 0, 0]);
    await h.publish('signals.tip.served', served('d1', user, 0), user);
    await h.publish('signals.tip.feedback', feedback('d1', user, Reaction.DONE), user, { id: 'feedback-d1' });
    const after = await observationsReach(1);
    expect(after.version).toBe(`${after.layoutVersion}/1`);
    const learned = await means();
    expect(learned[0]).toBeGreaterThan(0.3);
    expect(learned[0]).toBeGreaterThan(Math.max(learned[1] ?? 0, learned[2] ?? 0));
    expect(await decision('d1')).toMatchObject({ outcome: 'done', reward: 1 });

    await h.publish('signals.tip.served', served('d2', user, 2), user);
    await h.publish('signals.tip.feedback', feedback('d2', user, Reaction.DISMISS), user);
    await observationsReach(2);
    const dismissed = await means();
    expect(dismissed[2]).toBeLessThan(learned[2] ?? 0);
  });

  it('learns nothing more from a redelivered feedback or a second reaction to the same decision', async () => {
    const before = await means();
    // The same event again (same ce-id) past the broker's dedupe, then another reaction to d1.
    await h.publish('signals.tip.feedback', feedback('d1', user, Reaction.DONE), user, { id: 'feedback-d1', msgId: 'feedback-d1-again' });
    await h.publish('signals.tip.feedback', feedback('d1', user, Reaction.SNOOZE), user);
    // A marker behind them from the same user: once it is learned, the two above were handled.
    await h.publish('signals.tip.served', served('d3', user, 1), user);
    await h.publish('signals.tip.feedback', feedback('d3', user, Reaction.DONE), user);
    await observationsReach(3);
    expect(await lateFeedback()).toBe(1);
    expect(await decision('d1')).toMatchObject({ outcome: 'done', reward: 1, reaction: 'done' });
    const count = await h.db.selectFrom('learned_observations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
    expect((await means())[1]).toBeGreaterThan(before[1] ?? 0);
  });

  it('keeps feedback that arrives before its decision and settles once the decision arrives', async () => {
    await h.publish('signals.tip.feedback', feedback('d4', user, Reaction.SNOOZE), user);
    const pending = await eventually(async () => (await decision('d4')) ?? undefined, 'feedback d4 kept');
    expect(pending).toMatchObject({ served_at: null, settled_at: null, reaction: 'snooze' });
    expect((await status()).observations).toBe(3);
    await h.publish('signals.tip.served', served('d4', user, 1), user);
    await observationsReach(4);
    expect(await decision('d4')).toMatchObject({ outcome: 'snooze', reward: 0.5 });
  });

  it('settles a decision without a reaction with the no-reaction reward once the window has passed, and ignores feedback after that', async () => {
    await h.publish('signals.tip.served', served('d5', user, 2), user);
    await eventually(async () => (await decision('d5')) ?? undefined, 'decision d5 recorded');
    expect((await h.service.ctx.sweeper.sweep())).toBe(0);
    expect(await decision('d5')).toMatchObject({ settled_at: null });

    now = new Date(DECISION_TIME.getTime() + 24 * 3_600_000 + 1_000);
    await observationsReach(5);
    expect(await decision('d5')).toMatchObject({ outcome: 'none', reward: 0 });

    await h.publish('signals.tip.feedback', feedback('d5', user, Reaction.DONE), user);
    await h.publish('signals.tip.served', served('d6', user, 0, now), user);
    await h.publish('signals.tip.feedback', feedback('d6', user, Reaction.DONE, now), user);
    await observationsReach(6);
    expect(await lateFeedback()).toBe(2);
    expect(await decision('d5')).toMatchObject({ outcome: 'none', reward: 0 });
  });
});
