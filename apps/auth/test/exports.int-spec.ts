import { create } from '@bufbuild/protobuf';
import { ExportPartSchema } from '@oo/contracts';
import { sql } from '@oo/db';
import { eventually } from '@oo/testing';
import { strFromU8, unzipSync } from 'fflate';
import { expireExports } from '../src/features/export/export.repository';
import { startSignInHarness, type SignInHarness } from './support/sign-in-harness';

const HOUR = 3_600_000;
const CONTRIBUTORS = ['auth', 'integrations', 'ml-serving', 'notifier', 'profile', 'recommender'];
const field = (table: string, column: string) => ({ table, column, type: 'text', description: `what ${table}.${column} means` });

// auth coordinates a data export: it asks every service that consumes exports.requested (from
// deploy/nats, auth included) for its part, stores chunks in whatever order and however often they
// come, builds one zip when all are in, and lets it be downloaded until it expires.
describe('auth data exports', () => {
  let t: SignInHarness;
  const userIdOf = async (name: string) => {
    const { sessionToken } = await t.webSession(name);
    return (await t.gateway('POST', '/internal/v1/sessions/access-token', { sessionToken })).body['userId'] as string;
  };
  const sendPart = (service: string, exportId: string, userId: string, chunkIndex: number, chunks: Buffer[], msgId?: string) =>
    t.h.publish(
      'exports.part',
      create(ExportPartSchema, { requestId: exportId, service, chunkIndex, chunkCount: chunks.length, data: chunks[chunkIndex], fields: chunkIndex === 0 ? [field('tasks', 'title')] : [] }),
      userId,
      { source: service, ...(msgId ? { msgId } : {}) },
    );
  const download = async (userId: string, exportId: string) => {
    const res = await fetch(`${t.h.baseUrl}/internal/v1/users/${userId}/exports/${exportId}/archive`, { headers: { authorization: `Bearer ${await t.h.serviceToken('gateway')}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition'), bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    t = await startSignInHarness('auth-exports', { EXPORTS_PER_DAY: '2' });
  });
  afterAll(() => t?.stop());

  it('collects every part (out of order, repeated), builds the archive, refuses others, limits the rate and expires it', async () => {
    const userId = await userIdOf('Erin');
    const started = await t.gateway('POST', `/internal/v1/users/${userId}/exports`);
    expect(started).toMatchObject({ status: 202, body: { status: 'collecting', partsExpected: CONTRIBUTORS.length, partsReceived: 0 } });
    const exportId = started.body['exportId'] as string;
    expect((started.body['services'] as { service: string }[]).map((s) => s.service)).toEqual(CONTRIBUTORS);
    // One in flight: asking again answers the same export.
    expect((await t.gateway('POST', `/internal/v1/users/${userId}/exports`)).body['exportId']).toBe(exportId);
    expect((await download(userId, exportId)).status).toBe(409);

    // auth's own part goes round the bus like every other: the account, never a secret.
    const own = await eventually(async () => (await t.h.eventsOn('exports.part')).find((e) => e.message.requestId === exportId && e.message.service === 'auth'), "auth's part");
    const authDocument = JSON.parse(Buffer.from(own.message.data).toString('utf8')) as Record<string, Record<string, unknown>[]>;
    expect(authDocument['users']).toEqual([expect.objectContaining({ user_id: userId, email: 'erin@dev.oo.local' })]);
    expect(authDocument['sessions']?.length).toBeGreaterThan(0);
    expect(JSON.stringify(authDocument)).not.toMatch(/token_hash|csrf|code_challenge/);
    expect(own.message.fields.every((f) => f.description.length > 0)).toBe(true);

    // profile in three chunks, the last first and the middle twice; the rest in one each.
    const profileDoc = Buffer.from(JSON.stringify({ tasks: [{ title: 'Renew the passport' }, { title: 'Call the plumber' }] }));
    const thirds = [profileDoc.subarray(0, 20), profileDoc.subarray(20, 40), profileDoc.subarray(40)];
    await sendPart('profile', exportId, userId, 2, thirds);
    await sendPart('profile', exportId, userId, 1, thirds);
    await sendPart('profile', exportId, userId, 1, thirds);
    // A service not asked changes nothing.
    await sendPart('gateway', exportId, userId, 0, [Buffer.from('{"tasks":[]}')]);
    await eventually(async () => {
      const body = (await t.gateway('GET', `/internal/v1/users/${userId}/exports/${exportId}`)).body as { services: { service: string; status: string; chunksReceived: number | null }[] };
      const profile = body.services.find((s) => s.service === 'profile');
      return profile?.status === 'receiving' && profile.chunksReceived === 2 ? true : undefined;
    }, 'profile receiving, the repeat not counted');
    await sendPart('profile', exportId, userId, 0, thirds);
    for (const service of ['integrations', 'ml-serving', 'notifier', 'recommender']) await sendPart(service, exportId, userId, 0, [Buffer.from(JSON.stringify({ tasks: [{ title: `from ${service}` }] }))]);

    const ready = await eventually(async () => {
      const res = await t.gateway('GET', `/internal/v1/users/${userId}/exports/${exportId}`);
      return res.body['status'] === 'ready' ? res.body : undefined;
    }, 'the export ready');
    expect(ready).toMatchObject({ partsReceived: CONTRIBUTORS.length, failure: null, expiresAt: expect.any(String) });
    expect(new Date(ready['expiresAt'] as string).getTime() - new Date(ready['readyAt'] as string).getTime()).toBe(7 * 24 * HOUR);
    const archive = await download(userId, exportId);
    expect(archive).toMatchObject({ status: 200, type: 'application/zip', disposition: `attachment; filename="oo-export-${exportId}.zip"` });
    const files = unzipSync(archive.bytes);
    expect(Object.keys(files).sort()).toEqual([...CONTRIBUTORS.map((s) => `${s}.json`), 'README.md'].sort());
    expect(JSON.parse(strFromU8(files['profile.json'] as Uint8Array))).toEqual({ tasks: [{ title: 'Renew the passport' }, { title: 'Call the plumber' }] });
    expect(JSON.parse(strFromU8(files['auth.json'] as Uint8Array))['users'][0]['email']).toBe('erin@dev.oo.local');
    const readme = strFromU8(files['README.md'] as Uint8Array);
    expect(readme).toContain('| `title` | text | what tasks.title means |');
    expect(readme).toMatch(/\| `email` \| text \| Your e-mail address/);
    const { rows: parts } = await sql<{ n: number }>`select count(*)::int as n from export_parts where export_id = ${exportId}`.execute(t.h.db);
    expect(parts[0]?.n).toBe(0);

    // Nobody else sees it, whatever they know of its id; a bad id is a 400.
    const bob = await userIdOf('Bob');
    expect((await t.gateway('GET', `/internal/v1/users/${bob}/exports/${exportId}`)).body).toMatchObject({ status: 404, code: 'AUTH_EXPORT_NOT_FOUND' });
    expect((await download(bob, exportId)).status).toBe(404);
    expect((await t.gateway('GET', `/internal/v1/users/${userId}/exports/nope`)).status).toBe(400);

    // A second export whose parts never all come fails after the collect timeout; a third that day is refused.
    const second = (await t.gateway('POST', `/internal/v1/users/${userId}/exports`)).body['exportId'] as string;
    expect(second).not.toBe(exportId);
    t.clock.advance(HOUR + 1_000);
    expect(await expireExports(t.h.db, t.clock.now(), 30 * 24 * HOUR)).toMatchObject({ failed: 1, expired: 0 });
    expect((await t.gateway('GET', `/internal/v1/users/${userId}/exports/${second}`)).body).toMatchObject({ status: 'failed', failure: expect.stringMatching(/in time/) });
    const refused = await t.gateway('POST', `/internal/v1/users/${userId}/exports`);
    expect(refused).toMatchObject({ status: 429, type: expect.stringMatching(/^application\/problem\+json/), body: { code: 'AUTH_EXPORT_RATE_LIMITED' } });

    // After EXPORT_TTL the archive is gone: 410, not 404, and its bytes are deleted.
    t.clock.advance(7 * 24 * HOUR);
    expect((await download(userId, exportId)).status).toBe(410);
    expect((await t.gateway('GET', `/internal/v1/users/${userId}/exports/${exportId}`)).body['status']).toBe('expired');
    expect(await expireExports(t.h.db, t.clock.now(), 30 * 24 * HOUR)).toMatchObject({ expired: 1 });
    const { rows } = await sql<{ archive: Buffer | null }>`select archive from export_requests where export_id = ${exportId}`.execute(t.h.db);
    expect(rows[0]?.archive).toBeNull();
    const gone = await download(userId, exportId);
    expect(gone.status).toBe(410);
  });

  it("deletes a user's exports as soon as they ask for the account's deletion", async () => {
    const userId = await userIdOf('Fay');
    const exportId = (await t.gateway('POST', `/internal/v1/users/${userId}/exports`)).body['exportId'] as string;
    expect(exportId).toEqual(expect.any(String));
    expect((await t.gateway('POST', `/internal/v1/users/${userId}/deletion`)).status).toBe(202);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from export_requests where user_id = ${userId}`.execute(t.h.db);
    expect(rows[0]?.n).toBe(0);
    // A part arriving afterwards finds nothing to join.
    await sendPart('profile', exportId, userId, 0, [Buffer.from('{}')]);
    expect((await t.gateway('POST', `/internal/v1/users/${userId}/exports`)).status).toBe(404);
  });
});
