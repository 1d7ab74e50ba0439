import { createHash } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionReceiptSchema } from '@oo/contracts';
import { sql } from '@oo/db';
import { eventually } from '@oo/testing';
import { startSignInHarness, type SignInHarness } from './support/sign-in-harness';

// Users as the rest of oO sees them: created on the first sign-in only (users.created), read by
// the gateway, and deleted on request (signed out everywhere, users.deletion.requested).
describe('auth users', () => {
  let t: SignInHarness;
  const userIdOf = async (sessionToken: string) =>
    (await t.gateway('POST', '/internal/v1/sessions/access-token', { sessionToken })).body['userId'] as string;

  beforeAll(async () => {
    t = await startSignInHarness('auth-users');
  });
  afterAll(() => t?.stop());

  it('creates the user on the first sign-in only and publishes users.created once', async () => {
    const first = await t.webSession('Ada Lovelace');
    const userId = await userIdOf(first.sessionToken);
    const again = await t.webSession('ada lovelace');
    expect(await userIdOf(again.sessionToken)).toBe(userId);
    const [created, ...more] = await eventually(async () => {
      const found = (await t.h.eventsOn('users.created')).filter((e) => e.message.userId === userId);
      return found.length > 0 ? found : undefined;
    }, 'users.created');
    expect(created?.message).toMatchObject({ userId, email: 'ada-lovelace@dev.oo.local', displayName: 'Ada Lovelace' });
    expect(created?.headers['ce-subject']).toBe(userId);
    // Give a second, wrong, event the time to reach the stream: the outbox has nothing left.
    await eventually(async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from event_outbox where published_at is null`.execute(t.h.db);
      return rows[0]?.n === 0 ? true : undefined;
    }, 'the outbox drained');
    expect(more).toEqual([]);
    expect((await t.h.eventsOn('users.created')).filter((e) => e.message.userId === userId)).toHaveLength(1);
  });

  it('answers the user for the gateway, and 404 for an unknown one', async () => {
    const userId = await userIdOf((await t.webSession('Bob')).sessionToken);
    const res = await t.gateway('GET', `/internal/v1/users/${userId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: userId, email: 'bob@dev.oo.local', displayName: 'Bob', roles: [], createdAt: expect.any(String) });
    const unknown = await t.gateway('GET', '/internal/v1/users/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'AUTH_USER_NOT_FOUND' });
  });

  it('on a deletion request signs the user out everywhere, publishes users.deletion.requested and refuses the next sign-in', async () => {
    const session = await t.webSession('Cleo');
    const userId = await userIdOf(session.sessionToken);
    const res = await t.gateway('POST', `/internal/v1/users/${userId}/deletion`);
    expect(res.status).toBe(202);
    const requestId = res.body['requestId'] as string;
    expect(requestId).toEqual(expect.any(String));
    expect((await t.gateway('POST', '/internal/v1/sessions/access-token', { sessionToken: session.sessionToken })).status).toBe(401);
    const requested = await eventually(async () => (await t.h.eventsOn('users.deletion.requested')).find((e) => e.message.userId === userId), 'users.deletion.requested');
    expect(requested.message.requestId).toBe(requestId);
    const revoked = await eventually(async () => (await t.h.eventsOn('users.revoked')).find((e) => e.message.userId === userId), 'users.revoked');
    expect(revoked.message).toMatchObject({ sessionId: '', reason: 'account_deleted' });
    const again = await t.signIn('Cleo');
    expect(again.answer.status).toBe(400);
    expect(again.answer.body).toMatchObject({ code: 'AUTH_SIGN_IN_FAILED' });
  });

  const HOLDERS = ['integrations', 'ml-serving', 'notifier', 'profile', 'recommender'];
  const receiptFrom = (service: string, requestId: string) =>
    t.h.publish('users.deletion.receipt', create(DeletionReceiptSchema, { requestId, service, completedAt: timestampFromDate(t.clock.now()) }), '', { source: service });
  const statusOf = async (requestId: string) => (await t.gateway('GET', `/internal/v1/deletions/${requestId}`)).body;

  it('tracks a deletion until every service that holds user data has answered, then erases the identity and keeps only a proof', async () => {
    const session = await t.webSession('Dora');
    const userId = await userIdOf(session.sessionToken);
    const { requestId } = (await t.gateway('POST', `/internal/v1/users/${userId}/deletion`)).body as { requestId: string };
    // Asking again while it is open answers with the same request.
    expect((await t.gateway('POST', `/internal/v1/users/${userId}/deletion`)).body).toMatchObject({ requestId });
    // The services awaited come from deploy/nats: every durable on users.deletion.requested.
    expect(await statusOf(requestId)).toMatchObject({ requestId, status: 'pending', completedAt: null, services: HOLDERS.map((service) => ({ service, erasedAt: null })) });

    for (const service of HOLDERS.slice(0, -1)) await receiptFrom(service, requestId);
    await receiptFrom('profile', requestId); // a repeat changes nothing
    await eventually(async () => ((await t.h.handled('auth__deletion_receipt')) >= HOLDERS.length ? true : undefined), 'the receipts handled');
    expect((await statusOf(requestId))['status']).toBe('pending');
    expect(await t.h.db.selectFrom('users').select('user_id').where('user_id', '=', userId).execute()).toHaveLength(1);

    await receiptFrom('recommender', requestId);
    const done = await eventually(async () => {
      const status = await statusOf(requestId);
      return status['status'] === 'completed' ? status : undefined;
    }, 'the deletion completed');
    expect((done['services'] as { erasedAt: string | null }[]).every((s) => s.erasedAt !== null)).toBe(true);
    expect(done['subjectDigest']).toBe(createHash('sha256').update(`${requestId}:${userId}`).digest('hex'));
    // Nothing in auth's schema names the user any more: not the account, its identities and sessions, the outbox or the request.
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type in ('text', 'uuid', 'character varying', 'jsonb', 'json', 'ARRAY')`.execute(t.h.db);
    for (const { table_name: table, column_name: column } of rows) {
      const found = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)}::text like ${`%${userId}%`}`.execute(t.h.db);
      expect({ at: `${table}.${column}`, rows: found.rows[0]?.n }).toEqual({ at: `${table}.${column}`, rows: 0 });
    }
    expect((await t.gateway('GET', `/internal/v1/users/${userId}`)).status).toBe(404);
  });

  it('says a deletion is overdue past its deadline, lists deletions for admins, and answers 404 and 400 for bad ids', async () => {
    const userId = await userIdOf((await t.webSession('Emil')).sessionToken);
    const { requestId } = (await t.gateway('POST', `/internal/v1/users/${userId}/deletion`)).body as { requestId: string };
    t.clock.advance(31 * 86_400_000);
    expect(await statusOf(requestId)).toMatchObject({ status: 'overdue' });
    const overdue = await t.gateway('GET', '/internal/v1/deletions?status=overdue&limit=10');
    expect((overdue.body['deletions'] as { requestId: string }[]).map((d) => d.requestId)).toContain(requestId);
    const completed = await t.gateway('GET', '/internal/v1/deletions?status=completed');
    expect((completed.body['deletions'] as { requestId: string }[]).map((d) => d.requestId)).not.toContain(requestId);
    expect((await t.gateway('GET', '/internal/v1/deletions/00000000-0000-4000-8000-000000000000')).body).toMatchObject({ code: 'AUTH_DELETION_NOT_FOUND' });
    expect((await t.gateway('GET', '/internal/v1/deletions/not-an-id')).status).toBe(400);
    expect((await t.gateway('GET', '/internal/v1/deletions?status=lost')).status).toBe(400);
  });
});
