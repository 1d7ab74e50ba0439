import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionRequestedSchema, ExportRequestedSchema, PreferencesUpdatedSchema, TaskDeletedSchema, TaskUpsertedSchema } from '@oo/contracts';
import { exportedPart } from '@oo/service-testing';
import { eventually } from '@oo/testing';
import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';

// Task and preference events on the real JetStream build the candidate read model that decisions read.
describe('candidates fed by the bus', () => {
  let h: RecommenderHarness;
  const now = new Date('2026-11-23T10:00:00Z'); // a Monday
  const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
  // Counted over the whole file: settle() waits until each consumer's inbox holds all of them.
  const published = { upserted: 0, deleted: 0, preferences: 0 };

  const upsert = async (userId: string, taskId: string, fields: { title?: string; updatedAt: Date; dueAt?: Date; priority?: number; completedAt?: Date }) => {
    published.upserted += 1;
    await h.publish(
      'signals.task.upserted',
      create(TaskUpsertedSchema, {
        taskId,
        userId,
        source: 'todoist',
        externalId: `ext-${taskId}`,
        title: fields.title ?? taskId,
        priority: fields.priority ?? 4,
        createdAt: timestampFromDate(at(-48)),
        updatedAt: timestampFromDate(fields.updatedAt),
        ...(fields.dueAt ? { dueAt: timestampFromDate(fields.dueAt) } : {}),
        ...(fields.completedAt ? { completedAt: timestampFromDate(fields.completedAt) } : {}),
      }),
      userId,
    );
  };
  const remove = async (userId: string, taskId: string, deletedAt: Date) => {
    published.deleted += 1;
    await h.publish('signals.task.deleted', create(TaskDeletedSchema, { taskId, userId, source: 'todoist', externalId: `ext-${taskId}`, deletedAt: timestampFromDate(deletedAt) }), userId);
  };
  const settle = () =>
    eventually(async () => {
      const [u, d, p] = await Promise.all([h.handled('recommender__task_upserted'), h.handled('recommender__task_deleted'), h.handled('recommender__preferences_updated')]);
      return u === published.upserted && d === published.deleted && p === published.preferences ? true : undefined;
    }, 'every published event handled');
  /** The candidate ids the recommender sent ml-serving for this user's next decision, in order. */
  const candidatesOf = async (userId: string): Promise<string[]> => {
    const res = await h.call('POST', '/v1/recommend', userId);
    expect(res.status).toBe(200);
    return (h.ml.requests.at(-1)?.candidates ?? []).map((c) => c.id).filter((id) => id.startsWith('task:'));
  };

  beforeAll(async () => {
    h = await startRecommenderHarness({ label: 'recommender-candidates', clock: () => now, env: { MAX_TASK_CANDIDATES: '3' } });
  });
  afterAll(() => h.stop());

  it('keeps the newest copy of a task and ignores an older one delivered late', async () => {
    await upsert('ana', 't-1', { title: 'second draft', updatedAt: at(-1) });
    await upsert('ana', 't-1', { title: 'first draft', updatedAt: at(-2) });
    await settle();
    expect(await candidatesOf('ana')).toEqual(['task:t-1']);
    expect(h.ml.requests.at(-1)?.candidates[0]?.features).toHaveLength(14);
    const row = await h.db.selectFrom('tasks').select(['title', 'deleted']).where('task_id', '=', 't-1').executeTakeFirstOrThrow();
    expect(row).toEqual({ title: 'second draft', deleted: false });
  });

  it('buries a deleted task: an older upsert cannot bring it back, a newer one can', async () => {
    await upsert('ben', 't-2', { updatedAt: at(-3) });
    await remove('ben', 't-2', at(-1));
    await upsert('ben', 't-2', { title: 'stale copy', updatedAt: at(-2) });
    await remove('ben', 't-3', at(-1)); // never seen: the tombstone comes first
    await upsert('ben', 't-3', { updatedAt: at(-2) });
    await settle();
    expect(await candidatesOf('ben')).toEqual([]);

    await upsert('ben', 't-2', { title: 'restored at the source', updatedAt: at(-0.5) });
    await settle();
    expect(await candidatesOf('ben')).toEqual(['task:t-2']);
  });

  it('offers only open tasks, the most pressing first, capped', async () => {
    await upsert('cai', 'done', { updatedAt: at(-1), dueAt: at(-5), completedAt: at(-1) });
    await upsert('cai', 'someday', { updatedAt: at(-1), priority: 1 });
    await upsert('cai', 'next-week', { updatedAt: at(-1), dueAt: at(150) });
    await upsert('cai', 'tomorrow-urgent', { updatedAt: at(-1), dueAt: at(20), priority: 1 });
    await upsert('cai', 'tomorrow-normal', { updatedAt: at(-1), dueAt: at(20), priority: 4 });
    await upsert('cai', 'overdue', { updatedAt: at(-1), dueAt: at(-30) });
    await settle();
    expect(await candidatesOf('cai')).toEqual(['task:overdue', 'task:tomorrow-urgent', 'task:tomorrow-normal']);
    const [overdue, urgent] = h.ml.requests.at(-1)?.candidates ?? [];
    // is_overdue, then priority: the wire's 1 (most urgent) is the features' 1.0.
    expect(overdue?.features.slice(0, 4)).toEqual([1, 1, 2 / 30, 0.25]);
    expect(urgent?.features[3]).toBe(1);
  });

  it("decides in the user's timezone from profile's preference events, UTC until then", async () => {
    await upsert('dia', 't-4', { updatedAt: at(-1) });
    await settle();
    await candidatesOf('dia');
    expect(h.ml.requests.at(-1)?.context).toMatchObject({ timezone: 'UTC', localHour: 10, localWeekday: 1 });

    const prefs = (timezone: string, updatedAt: Date) =>
      create(PreferencesUpdatedSchema, { userId: 'dia', timezone, channels: ['in_app'], tipCadence: 'normal', updatedAt: timestampFromDate(updatedAt) });
    published.preferences += 2;
    await h.publish('profile.preferences.updated', prefs('Asia/Tokyo', at(-1)), 'dia');
    await h.publish('profile.preferences.updated', prefs('Europe/Berlin', at(-2)), 'dia'); // older: ignored
    await settle();
    await candidatesOf('dia');
    expect(h.ml.requests.at(-1)?.context).toMatchObject({ timezone: 'Asia/Tokyo', localHour: 19, localWeekday: 1 });
  });

  it("answers exports.requested with the user's tasks, decisions and feedback, described by the schema, and nobody else's", async () => {
    for (const user of ['yan', 'yoko']) {
      await upsert(user, `t-${user}`, { title: `${user}'s task`, updatedAt: at(-1) });
      published.preferences += 1;
      await h.publish('profile.preferences.updated', create(PreferencesUpdatedSchema, { userId: user, timezone: user === 'yan' ? 'Europe/Rome' : 'Asia/Tokyo', updatedAt: timestampFromDate(at(-1)) }), user);
    }
    await settle();
    const decisionId = (await h.call('POST', '/v1/recommend', 'yan')).body['decisionId'] as string;
    expect((await h.call('POST', `/v1/tips/${decisionId}/feedback`, 'yan', { reaction: 'snooze' })).status).toBe(202);
    await h.publish('exports.requested', create(ExportRequestedSchema, { requestId: 'exp-1', userId: 'yan', requestedAt: timestampFromDate(now) }), 'yan');
    const part = await exportedPart(h, 'exp-1');
    expect(part.service).toBe('recommender');
    expect(part.document['tasks']).toEqual([expect.objectContaining({ task_id: 't-yan', title: "yan's task" })]);
    expect(part.document['user_timezones']).toEqual([expect.objectContaining({ timezone: 'Europe/Rome' })]);
    expect(part.document['decisions']).toEqual([expect.objectContaining({ decision_id: decisionId, candidates: expect.any(Array) })]);
    expect(part.document['tip_feedback']).toEqual([expect.objectContaining({ decision_id: decisionId, reaction: 'snooze' })]);
    expect(JSON.stringify(part.document)).not.toMatch(/yoko|Asia\/Tokyo/);
    expect(part.fields.filter((f) => !f.description)).toEqual([]);
  });

  it("erases everything about a user on request and answers with this service's receipt", async () => {
    await upsert('zed', 't-z', { updatedAt: at(-1) });
    published.preferences += 1;
    await h.publish('profile.preferences.updated', create(PreferencesUpdatedSchema, { userId: 'zed', timezone: 'Europe/Paris', updatedAt: timestampFromDate(at(-1)) }), 'zed');
    await settle();
    expect(await h.db.selectFrom('user_timezones').select('timezone').where('user_id', '=', 'zed').execute()).toEqual([{ timezone: 'Europe/Paris' }]);
    const decisionId = (await h.call('POST', '/v1/recommend', 'zed')).body['decisionId'] as string;
    expect((await h.call('POST', `/v1/tips/${decisionId}/feedback`, 'zed', { reaction: 'done' })).status).toBe(202);
    await h.publish('users.deletion.requested', create(DeletionRequestedSchema, { userId: 'zed', requestId: 'del-1', requestedAt: timestampFromDate(now) }), 'zed');

    const receipt = await eventually(
      async () => (await h.eventsOn('users.deletion.receipt')).find((e) => e.message.requestId === 'del-1'),
      'deletion receipt',
    );
    expect(receipt.message).toMatchObject({ userId: '', service: 'recommender' });
    expect(receipt.headers['ce-source']).toBe('/services/recommender');
    const left = await Promise.all(
      (['tasks', 'decisions', 'tip_feedback', 'user_timezones'] as const).map((table) => h.db.selectFrom(table).select('user_id').where('user_id', '=', 'zed').execute()),
    );
    expect(left.flat()).toEqual([]);
    expect((await h.call('GET', '/v1/tips/history', 'zed')).body).toEqual({ items: [], nextCursor: null });
  });
});
