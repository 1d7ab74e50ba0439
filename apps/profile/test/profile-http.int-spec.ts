import { createHash } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { ConsentChangedSchema, PreferencesUpdatedSchema } from '@oo/contracts';
import { eventually } from '@oo/testing';
import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

describe('profile HTTP API', () => {
  let h: ProfileHarness;
  const now = new Date('2026-11-20T12:00:00Z');

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
  };
  const as = (userId: string, roles: string[] = []) => h.tokenFor(userId, roles);

  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-http', clock: () => now });
  });
  afterAll(() => h.stop());

  it('requires a token and lets users read only their own profile; admins read any', async () => {
    expect((await call('GET', '/v1/profiles/cleo/features', null)).status).toBe(401);
    const other = await call('GET', '/v1/profiles/cleo/features', await as('dan'));
    expect(other.status).toBe(403);
    expect(other.type).toContain('application/problem+json');
    expect((await call('GET', '/v1/profiles/cleo/features', await as('root', ['admin']))).status).toBe(200);
  });

  it('serves an unknown user fallbacks, not an error', async () => {
    const res = await call('GET', '/v1/profiles/newbie/features', await as('newbie'));
    expect(res.status).toBe(200);
    const features = res.body['features'] as { status: string; ageSec: number; ttlSec: number }[];
    expect(features.length).toBeGreaterThan(5);
    expect(features.every((f) => f.status === 'fallback' && f.ageSec === 0)).toBe(true);
    expect(features.every((f) => f.ttlSec > 0)).toBe(true);
  });

  it('rebuilds every feature on request', async () => {
    const token = await as('cleo');
    await call('GET', '/v1/profiles/cleo/features', token);
    const res = await call('POST', '/v1/profiles/cleo/features/rebuild', token);
    expect(res.status).toBe(200);
    expect(res.body['registryVersion']).toMatch(/^r-[0-9a-f]{12}$/);
  });

  it('saves preferences, publishes the change through the outbox, and rejects bad input naming the field', async () => {
    const token = await as('cleo');
    expect((await call('GET', '/v1/profiles/cleo/preferences', token)).body).toMatchObject({ timezone: 'UTC', channels: ['in_app'], updatedAt: null });
    const prefs = { timezone: 'Europe/Berlin', locale: 'de-DE', quietHours: { start: '22:00', end: '07:00' }, channels: ['in_app', 'push'], tipCadence: 'low' };
    const saved = await call('PUT', '/v1/profiles/cleo/preferences', token, prefs);
    expect(saved.status).toBe(200);
    expect((await call('GET', '/v1/profiles/cleo/preferences', token)).body).toMatchObject({ ...prefs, updatedAt: now.toISOString() });

    const bad = await call('PUT', '/v1/profiles/cleo/preferences', token, { ...prefs, timezone: 'Mars/Olympus', channels: ['fax'] });
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as Problem).errors?.map((e) => e.path).sort()).toEqual(['body.channels.0', 'body.timezone']);

    const msg = await eventually(async () => {
      const stored = await h.bus.jsm.streams.getMessage(`${h.bus.prefix}_PROFILE`, { last_by_subj: `${h.bus.prefix}.profile.preferences.updated` }).catch(() => undefined);
      return stored ?? undefined;
    }, 'preferences event on the stream');
    expect(msg.header.get('ce-subject')).toBe('cleo');
    expect(fromBinary(PreferencesUpdatedSchema, msg.data)).toMatchObject({ userId: 'cleo', timezone: 'Europe/Berlin', channels: ['in_app', 'push'], tipCadence: 'low' });
  });

  it('invalidates preferred_hour, and only it, when the timezone changes', async () => {
    const token = await as('cleo');
    await call('GET', '/v1/profiles/cleo/features', token);
    const cached = async () => (await h.db.selectFrom('user_profile_features').select('name').where('user_id', '=', 'cleo').execute()).map((r) => r.name).sort();
    const all = await cached();
    expect(all).toContain('preferred_hour');
    await call('PUT', '/v1/profiles/cleo/preferences', token, { timezone: 'Asia/Tokyo', channels: ['in_app'], tipCadence: 'normal' });
    expect(await cached()).toEqual(all.filter((n) => n !== 'preferred_hour'));
    const f = (await call('GET', '/v1/profiles/cleo/features', token)).body['features'] as { name: string }[];
    expect(f).toHaveLength(all.length);
    expect(await cached()).toEqual(all);
  });

  it('grants and withdraws consent equally easily, keeping history and publishing each change', async () => {
    const token = await as('cleo');
    const textHash = createHash('sha256').update('We may send you push notifications.').digest('hex');
    const grant = await call('POST', '/v1/profiles/cleo/consents', token, { purpose: 'push_notifications', version: 'v1', textHash, granted: true });
    expect(grant.status).toBe(201);
    await call('POST', '/v1/profiles/cleo/consents', token, { purpose: 'push_notifications', version: 'v1', textHash, granted: false });
    const list = await call('GET', '/v1/profiles/cleo/consents', token);
    expect(list.body['consents']).toEqual([{ purpose: 'push_notifications', version: 'v1', textHash, granted: false, changedAt: now.toISOString() }]);
    expect(await h.db.selectFrom('consent_events').select('action').where('user_id', '=', 'cleo').orderBy('id').execute()).toEqual([
      { action: 'granted' },
      { action: 'withdrawn' },
    ]);
    const bad = await call('POST', '/v1/profiles/cleo/consents', token, { purpose: 'Push!', version: 'v1', textHash: 'abc', granted: 'yes' });
    expect((bad.body as unknown as Problem).errors?.map((e) => e.path).sort()).toEqual(['body.granted', 'body.purpose', 'body.textHash']);
    // Both changes are published in order, so the stream's last consent event ends as the
    // withdrawal (out of order, it would stay the grant and this would time out).
    const stored = await eventually(async () => {
      const last = await h.bus.jsm.streams.getMessage(`${h.bus.prefix}_PROFILE`, { last_by_subj: `${h.bus.prefix}.profile.consent.changed` }).catch(() => undefined);
      return last && !fromBinary(ConsentChangedSchema, last.data).granted ? last : undefined;
    }, 'the withdrawal as the last consent event');
    expect(fromBinary(ConsentChangedSchema, stored.data)).toMatchObject({ purpose: 'push_notifications', granted: false });
  });

  it('answers 400 for a malformed user id and malformed JSON', async () => {
    const token = await as('root', ['admin']);
    const res = await call('GET', `/v1/profiles/${encodeURIComponent('a b')}/features`, token);
    expect(res.status).toBe(400);
    expect((res.body as unknown as Problem).errors?.[0]?.path).toBe('params.userId');
    const raw = await fetch(`${h.baseUrl}/v1/profiles/root/preferences`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{' });
    expect(raw.status).toBe(400);
  });
});
