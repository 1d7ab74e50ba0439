import { decisionRow } from './support/decision-rows';
import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';

interface Problem {
  errors?: { path: string }[];
}

// List endpoints answer in pages: `limit` (default 50, at most 100) and an opaque cursor.
describe('recommender list pagination', () => {
  let h: RecommenderHarness;
  const user = 'pat';
  const servedAt = (i: number) => new Date(Date.UTC(2026, 10, 20, 8, 0, i));
  const decisionId = (i: number) => `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`;

  beforeAll(async () => {
    h = await startRecommenderHarness({ label: 'recommender-pagination' });
  });
  afterAll(() => h.stop());

  it('pages through the tip history newest first, ties on served_at broken by decision id', async () => {
    // Seven decisions; 3 and 4 share a served_at, so the cursor must carry the decision id too.
    const rows = Array.from({ length: 7 }, (_, i) =>
      decisionRow({ decision_id: decisionId(i), user_id: i === 6 ? 'someone-else' : user, served_at: servedAt(i === 4 ? 3 : i), tip_id: `advice:a${i}`, tip_title: `t${i}` }),
    );
    await h.db.insertInto('decisions').values(rows).execute();

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await h.call('GET', `/v1/tips/history?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, user);
      expect(res.status).toBe(200);
      pages.push((res.body['items'] as { decisionId: string }[]).map((t) => t.decisionId));
      cursor = res.body['nextCursor'] as string | null;
    } while (cursor !== null && pages.length < 10);
    expect(pages).toEqual([
      [decisionId(5), decisionId(4)],
      [decisionId(3), decisionId(2)],
      [decisionId(1), decisionId(0)],
    ]);
    const all = await h.call('GET', '/v1/tips/history', user);
    expect(all.body['items']).toHaveLength(6);
    expect(all.body['nextCursor']).toBeNull();

    const tooMany = await h.call('GET', '/v1/tips/history?limit=101', user);
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as Problem).errors?.map((e) => e.path)).toEqual(['query.limit']);
    const forged = await h.call('GET', `/v1/tips/history?cursor=${Buffer.from('{"servedAt":"x"}').toString('base64url')}`, user);
    expect(forged.status).toBe(400);
    expect((forged.body as Problem).errors?.map((e) => e.path)).toEqual(['query.cursor']);
  });

  it('pages through the advice library', async () => {
    const whole = await h.call('GET', '/v1/advice', null);
    const ids = (whole.body['items'] as { id: string }[]).map((a) => a.id);
    expect(whole.body['nextCursor']).toBeNull();
    expect(ids.length).toBeGreaterThan(5);
    const first = await h.call('GET', '/v1/advice?limit=5', null);
    expect((first.body['items'] as { id: string }[]).map((a) => a.id)).toEqual(ids.slice(0, 5));
    const second = await h.call('GET', `/v1/advice?limit=5&cursor=${encodeURIComponent(first.body['nextCursor'] as string)}`, null);
    expect((second.body['items'] as { id: string }[]).map((a) => a.id)).toEqual(ids.slice(5, 10));
    expect((await h.call('GET', '/v1/advice?limit=0', null)).status).toBe(400);
    expect((await h.call('GET', '/v1/advice?limit=1000', null)).status).toBe(400);
  });
});
