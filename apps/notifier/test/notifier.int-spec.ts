import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionRequestedSchema, ExportRequestedSchema } from '@oo/contracts';
import { exportedPart } from '@oo/service-testing';
import { eventually } from '@oo/testing';
import { PUSH_ENDPOINT_HELD } from '../src/features/export/notifier-export';
import { startNotifierSystem } from './support/notifier-system';

// The notifier over real Postgres and JetStream, sending to a local push service (which
// decrypts each message with the subscription's keys and checks the VAPID JWT) and a local SMTP
// server: the rules a person would notice, the delivery log and its events, unsubscribe, erasure.
describe('notifier', () => {
  let s: Awaited<ReturnType<typeof startNotifierSystem>>;
  beforeAll(async () => {
    s = await startNotifierSystem('notifier', { FATIGUE_CAP: '2' });
  });
  afterAll(() => s?.stop());

  const subscribe = async (userId: string) => {
    const subscription = s.push.createSubscription();
    const res = await s.h.call('PUT', '/v1/notifier/push-subscriptions', userId, subscription);
    expect(res.status).toBe(201);
    return subscription;
  };
  const pushUser = async (userId: string, prefs: { timezone?: string; quiet?: [string, string] } = {}) => {
    await s.preferences(userId, { ...prefs, channels: ['in_app', 'push'] });
    await s.consent(userId, 'push_notifications', true);
    return subscribe(userId);
  };

  it('pushes a tip, encrypted for the subscription, with the decision id in its link, once even when the request is redelivered', async () => {
    const subscription = await pushUser('ada');
    const decisionId = await s.request('ada', { msgId: 'first-copy' });
    expect(await s.settled(decisionId)).toMatchObject({ status: 'delivered', channel: 'push', attempts: 1 });
    const [message] = s.push.messages(subscription.endpoint);
    expect(message?.payload).toMatchObject({ title: 'File the expense report <now>', body: 'Due today.', decisionId });
    expect(String((message?.payload as { url: string }).url)).toContain(`decision=${decisionId}`);
    await s.request('ada', { decisionId, msgId: 'second-copy' });
    expect(s.push.messages(subscription.endpoint)).toHaveLength(1);
    const delivered = await eventually(async () => {
      const events = await s.h.eventsOn('signals.notification.delivered');
      return events.length > 0 ? events : undefined;
    }, 'the delivered event');
    expect(delivered.map((e) => e.message)).toEqual([expect.objectContaining({ decisionId, userId: 'ada', channel: 'push', attempts: 1 })]);
  });

  it('drops the same tip within the dedupe window, and anything over the rolling cap, saying why', async () => {
    const tipId = 'task:dedupe';
    expect((await s.settled(await s.request('ada', { tipId }))).status).toBe('delivered');
    expect(await s.settled(await s.request('ada', { tipId }))).toMatchObject({ status: 'dropped', reason: 'duplicate' });
    // ada has had 2 delivered now: the cap.
    expect(await s.settled(await s.request('ada'))).toMatchObject({ status: 'dropped', reason: 'fatigue_cap' });
    const mine = await s.h.call('GET', '/v1/notifier/deliveries', 'ada');
    expect((mine.body['notifications'] as { reason: string | null }[]).map((n) => n.reason)).toEqual(['fatigue_cap', 'duplicate', null, null]);
  });

  it('defers to the end of quiet hours in the user’s zone, and drops it as stale when that is too late', async () => {
    await pushUser('night-owl', { timezone: 'Pacific/Kiritimati', quiet: ['00:00', '23:59'] });
    const decisionId = await s.request('night-owl', { notAfterMs: 48 * 3_600_000 });
    const deferred = await eventually(async () => s.h.db.selectFrom('deliveries').selectAll().where('decision_id', '=', decisionId).where('status', '=', 'deferred').executeTakeFirst(), 'the deferral');
    expect(deferred.next_attempt_at?.getTime()).toBeGreaterThan(Date.now());
    expect(await s.settled(await s.request('night-owl', { notAfterMs: 60_000 }))).toMatchObject({ status: 'dropped', reason: 'stale' });
  });

  it('does not send when consent is withdrawn between the request and a retry', async () => {
    await pushUser('grace');
    s.push.failNext({ status: 500, times: 1 });
    const decisionId = await s.request('grace');
    await eventually(async () => s.h.db.selectFrom('deliveries').select('attempts').where('decision_id', '=', decisionId).where('attempts', '=', 1).executeTakeFirst(), 'the first, failed attempt');
    await s.consent('grace', 'push_notifications', false);
    expect(await s.settled(decisionId)).toMatchObject({ status: 'dropped', reason: 'no_channel' });
  });

  it('deletes a subscription the push service says is gone (410)', async () => {
    const subscription = await pushUser('edsger');
    s.push.expire(subscription);
    expect(await s.settled(await s.request('edsger', { channels: ['push'] }))).toMatchObject({ status: 'failed', reason: 'refused' });
    expect(await s.h.db.selectFrom('push_subscriptions').select('endpoint').where('user_id', '=', 'edsger').execute()).toEqual([]);
  });

  it('e-mails with a one-click unsubscribe (RFC 8058) that works without a session', async () => {
    await s.userCreated('barbara', 'barbara@example.test');
    await s.preferences('barbara', { channels: ['email'] });
    await s.consent('barbara', 'email_notifications', true);
    expect(await s.settled(await s.request('barbara'))).toMatchObject({ status: 'delivered', channel: 'email' });
    const mail = s.smtp.messages().find((m) => m.to.includes('barbara@example.test'));
    expect(mail?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const link = /<([^>]+)>/.exec(String(mail?.headers['list-unsubscribe']))?.[1] ?? '';
    expect(link).toMatch(/^https:\/\/oo\.test\/v1\/notifications\/unsubscribe\?token=/);
    expect(mail?.html).not.toContain('<now>');

    const token = new URL(link).searchParams.get('token') ?? '';
    const page = await fetch(`${s.h.baseUrl}/v1/notifier/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(await s.h.db.selectFrom('opt_outs').selectAll().where('user_id', '=', 'barbara').execute()).toEqual([]);
    const oneClick = await fetch(`${s.h.baseUrl}/v1/notifier/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect(await s.settled(await s.request('barbara'))).toMatchObject({ status: 'dropped', reason: 'no_channel' });
    // Profile hears of it (and turns the channel off in the settings); a second click says nothing new.
    await fetch(`${s.h.baseUrl}/v1/notifier/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST' });
    const announced = await eventually(async () => {
      const events = (await s.h.eventsOn('notify.unsubscribed')).filter((e) => e.message.userId === 'barbara');
      return events.length > 0 ? events : undefined;
    }, 'notify.unsubscribed');
    expect(announced.map((e) => e.message.channel)).toEqual(['email']);
    // Turned on again in the settings afterwards: the channel is the user's again.
    await s.preferences('barbara', { channels: ['email'] });
    expect(await s.h.db.selectFrom('opt_outs').selectAll().where('user_id', '=', 'barbara').execute()).toEqual([]);
    expect(await s.settled(await s.request('barbara'))).toMatchObject({ status: 'delivered', channel: 'email' });
    expect((await s.h.eventsOn('notify.unsubscribed')).filter((e) => e.message.userId === 'barbara')).toHaveLength(1);
    const forged = await fetch(`${s.h.baseUrl}/v1/notifier/unsubscribe?token=${encodeURIComponent(token.slice(0, -2))}xx`, { method: 'POST' });
    expect(forged.status).toBe(400);
  });

  it('refuses bad subscriptions and requests without a token with problem+json', async () => {
    for (const body of [{ endpoint: 'not a url', keys: { p256dh: 'x', auth: 'y' } }, { endpoint: 'https://push.example/abc' }]) {
      const res = await s.h.call('PUT', '/v1/notifier/push-subscriptions', 'ada', body);
      expect(res).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    }
    expect((await s.h.call('GET', '/v1/notifier/deliveries', null)).status).toBe(401);
    expect((await s.h.call('GET', '/v1/notifier/vapid-public-key', 'ada')).body['publicKey']).toEqual(expect.any(String));
  });

  it("answers exports.requested with the user's settings and deliveries, a push subscription without its secrets, and nobody else's", async () => {
    await s.preferences('ivy', { timezone: 'Asia/Tokyo', channels: ['email'] });
    await s.h.publish('exports.requested', create(ExportRequestedSchema, { requestId: 'exp-1', userId: 'ada', requestedAt: timestampFromDate(new Date()) }), 'ada', { source: 'auth' });
    const part = await exportedPart(s.h, 'exp-1');
    expect(part.service).toBe('notifier');
    expect(part.document['preferences']).toEqual([expect.objectContaining({ channels: ['in_app', 'push'] })]);
    expect(part.document['consents']).toEqual([expect.objectContaining({ purpose: 'push_notifications' })]);
    expect(part.document['deliveries']?.length).toBeGreaterThan(0);
    expect(part.document['deliveries']).toContainEqual(expect.objectContaining({ status: 'delivered', channel: 'push' }));
    const subscriptions = await s.h.db.selectFrom('push_subscriptions').select(['endpoint', 'p256dh', 'auth']).where('user_id', '=', 'ada').execute();
    expect(subscriptions.length).toBeGreaterThan(0);
    expect(part.document['push_subscriptions']).toEqual(subscriptions.map(() => expect.objectContaining({ endpoint: PUSH_ENDPOINT_HELD })));
    const text = JSON.stringify(part.document);
    for (const secret of subscriptions.flatMap((sub) => [sub.endpoint, sub.p256dh, sub.auth])) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/ivy|Asia\/Tokyo/);
    expect(part.fields.filter((f) => !f.description)).toEqual([]);
  });

  it('erases a user on users.deletion.requested and answers with a receipt', async () => {
    await s.h.publish('users.deletion.requested', create(DeletionRequestedSchema, { userId: 'ada', requestId: 'req-1', requestedAt: timestampFromDate(new Date()) }), 'ada', { source: 'auth' });
    const [receipt] = await eventually(async () => {
      const found = await s.h.eventsOn('users.deletion.receipt');
      return found.length > 0 ? found : undefined;
    }, 'the receipt');
    expect(receipt?.message).toMatchObject({ userId: '', requestId: 'req-1', service: 'notifier' });
    for (const table of ['deliveries', 'push_subscriptions', 'preferences', 'consents', 'contacts', 'opt_outs'] as const) {
      expect({ table, rows: await s.h.db.selectFrom(table).select('user_id').where('user_id', '=', 'ada').execute() }).toEqual({ table, rows: [] });
    }
  });
});
