import { create } from '@bufbuild/protobuf';
import { forgetKey } from '@oo/model-state';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionRequestedSchema, ExportRequestedSchema } from '@oo/contracts';
import { exportedPart } from '@oo/service-testing';
import { sql } from '@oo/db';
import { feedback, Reaction, scoreRequest, served } from './support/decisions';
import { eventually } from '@oo/testing';
import { startMlHarness, type MlHarness } from './support/ml-serving-harness';

// users.deletion.requested erases the user's decisions and personal model state on every
// instance, supersedes the snapshots that still hold it, and queues a receipt for auth.
describe('user deletion', () => {
  let h: MlHarness;

  const status = async () => {
    const res = await fetch(`${h.baseUrl}/v1/models/current`, { headers: { authorization: `Bearer ${await h.token('service')}` } });
    return (await res.json()) as { observations: number; users: number };
  };
  const means = async (userId: string): Promise<number[]> => {
    const res = await fetch(`${h.baseUrl}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token('service')}` },
      body: JSON.stringify(scoreRequest(userId, 'probe', ['epsilon-greedy'])),
    });
    return ((await res.json()) as { results: { scores: number[] }[] }).results[0]?.scores ?? [];
  };

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ml-user-deletion', env: { CHECKPOINT_EVERY: '2' } });
  });
  afterAll(() => h.stop());

  it('forgets the user everywhere and sends a receipt', async () => {
    for (const [id, userId, chosen] of [['g1', 'u-gone', 0], ['g2', 'u-gone', 1], ['s1', 'u-stays', 2]] as const) {
      await h.publish('signals.tip.served', served(id, userId, chosen), userId);
      await h.publish('signals.tip.feedback', feedback(id, userId, Reaction.DONE), userId);
    }
    await eventually(async () => ((await status()).observations === 3 ? true : undefined), 'three decisions learned');
    expect((await status()).users).toBe(2);
    expect(await means('u-gone')).not.toEqual(await means('never-seen'));

    const request = create(DeletionRequestedSchema, { userId: 'u-gone', requestId: 'req-1', requestedAt: timestampFromDate(new Date()) });
    await h.publish('users.deletion.requested', request, 'u-gone');
    await eventually(async () => ((await status()).observations === 4 ? true : undefined), 'the erasure applied');
    expect((await status()).users).toBe(1);
    expect(await means('u-gone')).toEqual(await means('never-seen'));

    expect(await h.db.selectFrom('decisions').select('decision_id').where('user_id', '=', 'u-gone').execute()).toEqual([]);
    // The log's forget names the user by digest; no row of the log or of any checkpoint names them.
    expect(await h.db.selectFrom('learned_observations').select(['kind', 'user_id']).where('user_id', '=', 'u-gone').execute()).toEqual([]);
    expect(await h.db.selectFrom('learned_observations').select(['kind', 'user_id']).where('kind', '=', 'forget').execute()).toEqual([{ kind: 'forget', user_id: forgetKey('u-gone') }]);
    expect(await h.db.selectFrom('model_snapshot_users').select('user_id').where('user_id', '=', 'u-gone').execute()).toEqual([]);
    const versions = await eventually(async () => {
      const snapshots = await h.db.selectFrom('model_snapshots').select('version').execute();
      return snapshots.length > 0 && snapshots.every((s) => Number(s.version) >= 4) ? snapshots : undefined;
    }, 'older snapshots superseded');
    expect(versions.length).toBeGreaterThan(0);

    const receipt = await eventually(async () => {
      const { rows: outbox } = await sql<{ subject: string; published_at: Date | null }>`select subject, published_at from event_outbox`.execute(h.db);
      return outbox.find((r) => r.subject === 'users.deletion.receipt' && r.published_at !== null);
    }, 'receipt published');
    expect(receipt.subject).toBe('users.deletion.receipt');
  });

  it("answers exports.requested with the user's decisions, rewards and model part, described by the schema, and nobody else's", async () => {
    await h.publish('signals.tip.served', served('o1', 'u-other', 1), 'u-other');
    await h.publish('signals.tip.feedback', feedback('o1', 'u-other', Reaction.DONE), 'u-other');
    await eventually(async () => ((await status()).observations === 5 ? true : undefined), "the other user's decision learned");
    await h.publish('exports.requested', create(ExportRequestedSchema, { requestId: 'exp-1', userId: 'u-stays', requestedAt: timestampFromDate(new Date()) }), 'u-stays');
    const part = await exportedPart(h, 'exp-1');
    expect(part.service).toBe('ml-serving');
    expect(part.document['decisions']).toEqual([expect.objectContaining({ decision_id: 's1', reaction: 'done', reward: 1 })]);
    // Observations folded into a checkpoint are compacted away; those still in the log are the user's own.
    for (const row of part.document['learned_observations'] ?? []) expect(row).toMatchObject({ decision_id: 's1', reward: 1 });
    expect(part.document['model_snapshot_users']?.length).toBeGreaterThan(0);
    for (const row of part.document['model_snapshot_users'] ?? []) expect(row['stats']).toEqual(expect.stringMatching(/^[A-Za-z0-9+/]+=*$/));
    expect(JSON.stringify(part.document)).not.toMatch(/u-other|u-gone|"o1"|"g1"/);
    expect(part.fields.filter((f) => !f.description)).toEqual([]);
  });
});
