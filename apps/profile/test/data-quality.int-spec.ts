import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

describe('admin data quality', () => {
  let h: ProfileHarness;
  let now = new Date('2026-11-20T12:00:00Z');

  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-dq', clock: () => now });
  });
  afterAll(() => h.stop());

  it('counts eligible users, missing and stale values per feature for a seeded population', async () => {
    // Ten known users; six read their features at 12:00, so four have nothing cached.
    const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
    await h.db.insertInto('profiles').values(users.map((user_id) => ({ user_id }))).execute();
    for (const user of users.slice(0, 6)) await h.service.ctx.features.getProfile(user);
    // Two hours later two of them read again: their 1 h tip_volume is recomputed, the other four's is stale.
    now = new Date('2026-11-20T14:00:00Z');
    for (const user of users.slice(0, 2)) await h.service.ctx.features.getProfile(user);
    // One cached value from an older registry version counts as stale too.
    await h.db.updateTable('user_profile_features').set({ registry_version: 'r-old' }).where('user_id', '=', 'u5').where('name', '=', 'completion_rate_30d').execute();

    const admin = await h.tokenFor('ops', ['admin']);
    const res = await fetch(`${h.baseUrl}/v1/admin/data-quality`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries((((await res.json()) as { features: { name: string }[] }).features).map((f) => [f.name, f]));
    expect(byName['tip_volume_30d']).toEqual({ name: 'tip_volume_30d', eligibleUsers: 10, missing: 4, stale: 4 });
    expect(byName['completion_rate_30d']).toEqual({ name: 'completion_rate_30d', eligibleUsers: 10, missing: 4, stale: 1 });
    expect(byName['preferred_hour']).toEqual({ name: 'preferred_hour', eligibleUsers: 10, missing: 4, stale: 0 });

    const user = await h.tokenFor('u1');
    expect((await fetch(`${h.baseUrl}/v1/admin/data-quality`, { headers: { authorization: `Bearer ${user}` } })).status).toBe(403);
  });
});
