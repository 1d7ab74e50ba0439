import { startMlHarness, type MlHarness } from './support/ml-serving-harness';

// GET /v1/models lists the stored checkpoints in pages: `limit` (default 50, at most 100) and a cursor.
describe('GET /v1/models', () => {
  let h: MlHarness;

  const get = async (path: string) => {
    const res = await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${await h.token('service')}` } });
    return { status: res.status, body: (await res.json()) as { items?: { version: number; layoutVersion: string }[]; nextCursor?: string | null; errors?: { path: string }[] } };
  };

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ml-models-list' });
    // Checkpoints of another layout, as a rolling deploy leaves them; the running model does not read them.
    await h.db
      .insertInto('model_snapshots')
      .values([1, 2, 3, 4, 5].map((version) => ({ layout_version: 'fl-other', version, snapshot: Buffer.from('x'), users: version, created_at: new Date() })))
      .execute();
  });
  afterAll(() => h.stop());

  it('pages through the checkpoints newest first and rejects a limit above 100', async () => {
    const pages: number[][] = [];
    let cursor: string | null | undefined = null;
    do {
      const page = await get(`/v1/models?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      pages.push((page.body.items ?? []).map((c) => c.version));
      cursor = page.body.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages).toEqual([[5, 4], [3, 2], [1]]);
    expect((await get('/v1/models')).body.items).toHaveLength(5);

    const tooMany = await get('/v1/models?limit=101');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.map((e) => e.path)).toEqual(['query.limit']);
    const user = await fetch(`${h.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${await h.token('user')}` } });
    expect(user.status).toBe(403);
  });
});
