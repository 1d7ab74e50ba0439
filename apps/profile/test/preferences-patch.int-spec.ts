import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

const MERGE_PATCH = 'application/merge-patch+json';

describe('PATCH /v1/profiles/{userId}/preferences (RFC 7396 merge patch)', () => {
  let h: ProfileHarness;
  const now = new Date('2026-11-20T12:00:00Z');
  const saved = { timezone: 'Europe/Berlin', locale: 'de-DE', quietHours: { start: '22:00', end: '07:00' }, channels: ['in_app', 'push'], tipCadence: 'low' };

  const send = async (method: string, userId: string, body: unknown, type = 'application/json', as = userId) => {
    const res = await fetch(`${h.baseUrl}/v1/profiles/${userId}/preferences`, {
      method,
      headers: { authorization: `Bearer ${await h.tokenFor(as)}`, 'content-type': type },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const patch = (userId: string, body: unknown, type = MERGE_PATCH, as = userId) => send('PATCH', userId, body, type, as);
  const read = async (userId: string) => {
    const res = await fetch(`${h.baseUrl}/v1/profiles/${userId}/preferences`, { headers: { authorization: `Bearer ${await h.tokenFor(userId)}` } });
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-patch', clock: () => now });
  });
  afterAll(() => h.stop());

  it('changes only the timezone when only the timezone is sent', async () => {
    expect((await send('PUT', 'ada', saved)).status).toBe(200);
    const res = await patch('ada', { timezone: 'Asia/Tokyo' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'ada', ...saved, timezone: 'Asia/Tokyo', updatedAt: now.toISOString() });
    expect(await read('ada')).toEqual(res.body);
  });

  it('merges nested objects, replaces arrays and removes members set to null', async () => {
    await send('PUT', 'bea', saved);
    expect((await patch('bea', { quietHours: { end: '06:30' }, channels: ['email'] })).body).toMatchObject({ quietHours: { start: '22:00', end: '06:30' }, channels: ['email'], locale: 'de-DE' });
    expect((await patch('bea', { quietHours: null, locale: null })).body).toMatchObject({ quietHours: null, locale: null, timezone: 'Europe/Berlin' });
  });

  it('patches the defaults of a user who never saved preferences', async () => {
    const res = await patch('cy', { timezone: 'America/New_York' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timezone: 'America/New_York', channels: ['in_app'], tipCadence: 'normal', quietHours: null });
  });

  it('refuses a patch whose result is invalid, an unknown member and a plain JSON body, and changes nothing', async () => {
    await send('PUT', 'dee', saved);
    const halfQuiet = await patch('dee', { quietHours: null });
    expect(halfQuiet.status).toBe(200);
    const incomplete = await patch('dee', { quietHours: { start: '23:00' } });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body['errors']).toEqual([expect.objectContaining({ path: 'body.quietHours.end' })]);
    const timezone = await patch('dee', { timezone: 'Mars/Olympus' });
    expect(timezone.body['errors']).toEqual([expect.objectContaining({ path: 'body.timezone' })]);
    const required = await patch('dee', { timezone: null });
    expect(required.status).toBe(400);
    expect((await patch('dee', { colour: 'blue' })).body['errors']).toEqual([expect.objectContaining({ path: 'body' })]);
    expect((await patch('dee', { timezone: 'Asia/Tokyo' }, 'application/json')).status).toBe(415);
    expect(await read('dee')).toMatchObject({ ...saved, quietHours: null });
  });

  it('lets two concurrent patches of different fields both land', async () => {
    await send('PUT', 'eve', saved);
    const [a, b] = await Promise.all([patch('eve', { timezone: 'Asia/Tokyo' }), patch('eve', { tipCadence: 'high' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await read('eve')).toMatchObject({ timezone: 'Asia/Tokyo', tipCadence: 'high', channels: saved.channels });
  });

  it("refuses another user's preferences with 403", async () => {
    expect((await patch('ada', { timezone: 'UTC' }, MERGE_PATCH, 'mallory')).status).toBe(403);
  });
});
