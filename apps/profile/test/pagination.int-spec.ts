import { eventually } from '@oo/testing';
import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

interface Problem {
  code: string;
  errors?: { path: string }[];
}

// List endpoints answer in pages: `limit` (default 50, at most 100) and an opaque cursor.
describe('profile list pagination', () => {
  let h: ProfileHarness;
  const user = 'pager';
  const purposes = ['analytics', 'email_digest', 'marketing', 'push_notifications', 'research'];

  const get = async (path: string, token: string) => {
    const res = await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-pagination' });
  });
  afterAll(() => h.stop());

  it('pages through consents by purpose with a cursor and rejects a limit above 100', async () => {
    const token = await h.tokenFor(user);
    for (const purpose of [...purposes].reverse()) {
      const res = await fetch(`${h.baseUrl}/v1/profiles/${user}/consents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ purpose, version: 'v1', textHash: 'a'.repeat(64), granted: true }),
      });
      expect(res.status).toBe(201);
    }
    const seen: string[][] = [];
    let cursor: string | null = null;
    do {
      const query = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await get(`/v1/profiles/${user}/consents${query}`, token);
      expect(page.status).toBe(200);
      seen.push((page.body['consents'] as { purpose: string }[]).map((c) => c.purpose));
      cursor = page.body['nextCursor'] as string | null;
    } while (cursor !== null && seen.length < 10);
    expect(seen).toEqual([purposes.slice(0, 2), purposes.slice(2, 4), purposes.slice(4)]);

    const all = await get(`/v1/profiles/${user}/consents`, token);
    expect((all.body['consents'] as unknown[]).length).toBe(5);
    expect(all.body['nextCursor']).toBeNull();

    const tooMany = await get(`/v1/profiles/${user}/consents?limit=101`, token);
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as unknown as Problem).errors?.map((e) => e.path)).toEqual(['query.limit']);
    const forged = await get(`/v1/profiles/${user}/consents?cursor=not-a-cursor`, token);
    expect(forged.status).toBe(400);
    expect((forged.body as unknown as Problem).errors?.map((e) => e.path)).toEqual(['query.cursor']);
  });

  it('pages through the admin data-quality report', async () => {
    const admin = await h.tokenFor('ops', ['admin']);
    const first = await eventually(async () => {
      const page = await get('/v1/admin/data-quality?limit=4', admin);
      return page.status === 200 ? page : undefined;
    }, 'data quality');
    const names = (first.body['features'] as { name: string }[]).map((f) => f.name);
    expect(names).toHaveLength(4);
    const second = await get(`/v1/admin/data-quality?limit=4&cursor=${encodeURIComponent(first.body['nextCursor'] as string)}`, admin);
    const rest = (second.body['features'] as { name: string }[]).map((f) => f.name);
    expect(second.body['nextCursor']).toBeNull();
    const whole = ((await get('/v1/admin/data-quality', admin)).body['features'] as { name: string }[]).map((f) => f.name);
    expect([...names, ...rest]).toEqual(whole);
    expect(whole.length).toBeGreaterThan(4);
    expect((await get('/v1/admin/data-quality?limit=500', admin)).status).toBe(400);
  });
});
