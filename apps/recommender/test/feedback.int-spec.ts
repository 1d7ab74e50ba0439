import { Reaction } from '@oo/contracts';
import { sql } from '@oo/db';
import { eventually } from '@oo/testing';
import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';

interface Feedback {
  decisionId: string;
  reaction: string;
  reactedAt: string;
  dwellMs: number;
}

describe('tip feedback and history', () => {
  let h: RecommenderHarness;
  let now = new Date('2026-11-23T10:00:00Z');
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const serve = async (userId: string): Promise<string> => {
    const res = await h.call('POST', '/v1/recommend', userId);
    expect(res.status).toBe(200);
    return res.body['decisionId'] as string;
  };
  const react = (userId: string, decisionId: string, reaction: unknown) => h.call('POST', `/v1/tips/${decisionId}/feedback`, userId, { reaction });
  const feedbackEvents = async (decisionId: string) => (await h.eventsOn('signals.tip.feedback')).filter((e) => e.message.decisionId === decisionId);

  beforeAll(async () => {
    h = await startRecommenderHarness({ label: 'recommender-feedback', clock: () => now });
  });
  afterAll(() => h.stop());

  it('accepts the first reaction with its dwell time and publishes it; the same again is 200, another is 409', async () => {
    const decisionId = await serve('gus');
    advance(90_000);
    const first = await react('gus', decisionId, 'done');
    expect(first.status).toBe(202);
    const expected: Feedback = { decisionId, reaction: 'done', reactedAt: now.toISOString(), dwellMs: 90_000 };
    expect(first.body).toEqual(expected);

    advance(5_000);
    const again = await react('gus', decisionId, 'done');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(expected);

    const other = await react('gus', decisionId, 'dismiss');
    expect(other.status).toBe(409);
    expect(other.type).toContain('application/problem+json');
    expect(other.body).toMatchObject({ code: 'RECOMMENDER_REACTION_CONFLICT', status: 409 });

    const [event, ...more] = await eventually(async () => {
      const found = await feedbackEvents(decisionId);
      return found.length > 0 ? found : undefined;
    }, 'feedback event');
    expect(more).toEqual([]);
    const tipId = (await h.db.selectFrom('decisions').select('tip_id').where('decision_id', '=', decisionId).executeTakeFirstOrThrow()).tip_id;
    expect(event?.headers['ce-subject']).toBe('gus');
    expect(event?.message).toMatchObject({ decisionId, userId: 'gus', tipId, reaction: Reaction.DONE, dwellMs: 90_000n });
  });

  it("answers 404 for another user's tip or an unknown one, and 400 for an id that is not a decision id", async () => {
    const decisionId = await serve('hal');
    for (const [user, id] of [
      ['ivy', decisionId],
      ['hal', '0193a4f2-6c1e-7d40-9b1a-3f2e8c5d7a10'],
    ] as const) {
      const res = await react(user, id, 'snooze');
      expect(res.status).toBe(404);
      expect(res.body['code']).toBe('RECOMMENDER_TIP_NOT_FOUND');
    }
    const malformed = await react('hal', 'not-a-uuid', 'snooze');
    expect(malformed.status).toBe(400);
    expect(malformed.body['errors']).toEqual([expect.objectContaining({ path: 'params.decisionId' })]);
    const bad = await react('hal', decisionId, 'love');
    expect(bad.status).toBe(400);
    expect(bad.body['errors']).toEqual([expect.objectContaining({ path: 'body.reaction' })]);
    // None of the refused calls recorded anything: the owner can still react.
    expect((await react('hal', decisionId, 'snooze')).status).toBe(202);
  });

  it('lets exactly one of several concurrent first reactions win', async () => {
    const decisionId = await serve('jo');
    const reactions = ['done', 'snooze', 'dismiss', 'done', 'snooze', 'dismiss'];
    const results = await Promise.all(reactions.map((r) => react('jo', decisionId, r)));
    const winners = results.filter((r) => r.status === 202);
    expect(winners).toHaveLength(1);
    const won = winners[0]?.body['reaction'];
    results.forEach((r, i) => expect(r.status).toBe(r === winners[0] ? 202 : reactions[i] === won ? 200 : 409));
    await eventually(async () => ((await feedbackEvents(decisionId)).length === 1 ? true : undefined), 'one feedback event');
    // The outbox numbers each user's events per subject: exactly one feedback event was ever enqueued for jo.
    const { rows } = await sql<{ last_seq: string }>`select last_seq from event_outbox_sequence where subject = 'signals.tip.feedback' and user_key = 'jo'`.execute(h.db);
    expect(rows.map((r) => Number(r.last_seq))).toEqual([1]);
  });

  it('lists the caller’s recent tips newest first, with reactions, and validates the limit', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      advance(60_000);
      ids.push(await serve('kim'));
    }
    advance(1_000);
    await react('kim', ids[1] ?? '', 'dismiss');

    const res = await h.call('GET', '/v1/tips/history?limit=2', 'kim');
    expect(res.status).toBe(200);
    const items = res.body['items'] as { decisionId: string; reaction: string | null; reactedAt: string | null; dwellMs: number | null; servedAt: string; tip: { id: string } }[];
    expect(items.map((i) => i.decisionId)).toEqual([ids[2], ids[1]]);
    expect(items[0]).toMatchObject({ reaction: null, reactedAt: null, dwellMs: null });
    expect(items[1]).toMatchObject({ reaction: 'dismiss', reactedAt: now.toISOString(), dwellMs: 61_000 });
    expect(items[1]?.tip.id).toMatch(/^(task|advice):/);
    expect(((await h.call('GET', '/v1/tips/history', 'kim')).body['items'] as unknown[]).length).toBe(3);
    expect((await h.call('GET', '/v1/tips/history', 'nobody')).body).toEqual({ items: [], nextCursor: null });

    for (const limit of ['0', '101', 'ten']) {
      const bad = await h.call('GET', `/v1/tips/history?limit=${limit}`, 'kim');
      expect(bad.status).toBe(400);
      expect(bad.type).toContain('application/problem+json');
      expect(bad.body['errors']).toEqual([expect.objectContaining({ path: 'query.limit' })]);
    }
  });

  it('answers malformed and oversized bodies with problem+json', async () => {
    const decisionId = await serve('lou');
    const post = async (body: string) => {
      const res = await fetch(`${h.baseUrl}/v1/tips/${decisionId}/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await h.tokenFor('lou')}`, 'content-type': 'application/json' },
        body,
      });
      return { status: res.status, type: res.headers.get('content-type'), code: ((await res.json()) as { code: string }).code };
    };
    expect(await post('{"reaction":')).toEqual({ status: 400, type: expect.stringContaining('application/problem+json'), code: 'MALFORMED_JSON' });
    expect(await post(JSON.stringify({ reaction: 'done', note: 'x'.repeat(10_000) }))).toEqual({
      status: 413,
      type: expect.stringContaining('application/problem+json'),
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect((await post(JSON.stringify({ reaction: 'done', extra: true }))).status).toBe(400);
  });

  it('requires a user token for feedback and history', async () => {
    expect((await h.call('GET', '/v1/tips/history', null)).status).toBe(401);
    const service = await fetch(`${h.baseUrl}/v1/tips/history`, { headers: { authorization: `Bearer ${h.serviceToken}` } });
    expect(service.status).toBe(403);
    await service.text();
  });
});
