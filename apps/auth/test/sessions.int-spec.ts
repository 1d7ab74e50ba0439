import { eventually } from '@oo/testing';
import { startSignInHarness, type SignInHarness } from './support/sign-in-harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Web sessions over time (auth's clock moved by the test) and sign-out everywhere.
describe('auth sessions', () => {
  let t: SignInHarness;
  const accessToken = (sessionToken: string) => t.gateway('POST', '/internal/v1/sessions/access-token', { sessionToken });
  const revokedEvents = () => t.h.eventsOn('users.revoked');

  beforeAll(async () => {
    t = await startSignInHarness('auth-sessions', { SESSION_IDLE_TIMEOUT_MS: '1h', SESSION_ABSOLUTE_TIMEOUT_MS: '3h' });
  });
  afterAll(() => t?.stop());

  it('ends a session left unused for longer than the idle timeout; each use restarts the idle clock', async () => {
    const session = await t.webSession('Ada');
    t.clock.advance(50 * MINUTE);
    expect((await accessToken(session.sessionToken)).status).toBe(200);
    t.clock.advance(50 * MINUTE);
    expect((await accessToken(session.sessionToken)).status).toBe(200);
    t.clock.advance(HOUR + MINUTE);
    const ended = await accessToken(session.sessionToken);
    expect(ended.status).toBe(401);
    expect(ended.type).toMatch(/^application\/problem\+json/);
    expect(ended.body).toMatchObject({ code: 'AUTH_SESSION_NOT_FOUND' });
  });

  it('ends a session at its absolute expiry however often it is used', async () => {
    const session = await t.webSession('Bob');
    for (let i = 0; i < 5; i++) {
      t.clock.advance(35 * MINUTE);
      expect((await accessToken(session.sessionToken)).status).toBe(200);
    }
    t.clock.advance(35 * MINUTE + MINUTE);
    expect((await accessToken(session.sessionToken)).status).toBe(401);
  });

  it('keeps only sessions that can still be used: ended ones are deleted when the next one begins', async () => {
    const signedOut = await t.webSession('Cid');
    expect((await t.gateway('POST', '/internal/v1/sessions/revoke', { sessionToken: signedOut.sessionToken })).status).toBe(204);
    const idle = await t.webSession('Dee');
    t.clock.advance(HOUR + MINUTE);
    const live = await t.webSession('Eve');
    const kept = (await t.h.db.selectFrom('sessions').select('session_id').execute()).map((r) => r.session_id);
    expect(kept).toContain(live.sessionId);
    expect(kept).not.toContain(signedOut.sessionId);
    expect(kept).not.toContain(idle.sessionId);
  });

  it('answers 401 for a session token it never issued', async () => {
    const res = await accessToken('B'.repeat(43));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'AUTH_SESSION_NOT_FOUND' });
  });

  it('publishes users.revoked naming the session when it signs out, and signing out twice is fine', async () => {
    const session = await t.webSession('Cleo');
    const { userId } = (await accessToken(session.sessionToken)).body as { userId: string };
    expect((await t.gateway('POST', '/internal/v1/sessions/revoke', { sessionToken: session.sessionToken })).status).toBe(204);
    expect((await t.gateway('POST', '/internal/v1/sessions/revoke', { sessionToken: session.sessionToken })).status).toBe(204);
    const events = await eventually(async () => {
      const found = (await revokedEvents()).filter((e) => e.message.userId === userId);
      return found.length > 0 ? found : undefined;
    }, 'users.revoked for the session');
    expect(events).toHaveLength(1);
    expect(events[0]?.message).toMatchObject({ userId, sessionId: session.sessionId, reason: 'sign_out' });
    expect(events[0]?.headers['ce-subject']).toBe(userId);
  });

  it('signs a user out everywhere: every session ends and users.revoked covers all their tokens', async () => {
    const one = await t.webSession('Dora');
    const two = await t.webSession('Dora');
    const other = await t.webSession('Emil');
    const { userId } = (await accessToken(one.sessionToken)).body as { userId: string };
    expect((await t.gateway('POST', `/internal/v1/users/${userId}/revoke`)).status).toBe(204);
    expect((await accessToken(one.sessionToken)).status).toBe(401);
    expect((await accessToken(two.sessionToken)).status).toBe(401);
    expect((await accessToken(other.sessionToken)).status).toBe(200);
    const [event] = await eventually(async () => {
      const found = (await revokedEvents()).filter((e) => e.message.userId === userId);
      return found.length > 0 ? found : undefined;
    }, 'users.revoked for the user');
    expect(event?.message).toMatchObject({ userId, sessionId: '', reason: 'sign_out_everywhere' });
    expect(event?.message.revokedBefore).toBeDefined();
  });

  it('answers 404 when signing out an unknown user and 400 for an id that is not one', async () => {
    const unknown = await t.gateway('POST', '/internal/v1/users/00000000-0000-4000-8000-000000000000/revoke');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'AUTH_USER_NOT_FOUND' });
    const malformed = await t.gateway('POST', '/internal/v1/users/not-a-user/revoke');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ errors: [expect.objectContaining({ path: 'params.userId' })] });
  });
});
