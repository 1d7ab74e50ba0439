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

  it('records each service’s deletion receipt once', async () => {
    const receipt = create(DeletionReceiptSchema, { userId: 'u-1', requestId: 'req-1', service: 'profile', completedAt: timestampFromDate(new Date()) });
    await t.h.publish('users.deletion.receipt', receipt, 'u-1', { source: 'profile' });
    await t.h.publish('users.deletion.receipt', receipt, 'u-1', { source: 'profile' });
    await eventually(async () => ((await t.h.handled('auth__deletion_receipt')) >= 2 ? true : undefined), 'both receipts handled');
    const rows = await t.h.db.selectFrom('deletion_receipts').selectAll().execute();
    expect(rows).toEqual([expect.objectContaining({ request_id: 'req-1', service: 'profile', user_id: 'u-1' })]);
  });
});
