import { eventually } from '@oo/testing';
import { startNotifierSystem } from './support/notifier-system';

// A mail server refusing a recipient for good, through the whole notifier: what the delivery log
// says, what the e-mail address becomes, and what happens to the next request for that person.
describe('notifier with a mail server that refuses a recipient', () => {
  let s: Awaited<ReturnType<typeof startNotifierSystem>>;
  beforeAll(async () => {
    s = await startNotifierSystem('notifier-bounce');
  });
  afterAll(() => s?.stop());

  const emailUser = async (userId: string, address: string, channels = ['email']) => {
    await s.userCreated(userId, address);
    await s.preferences(userId, { channels });
    await s.consent(userId, 'email_notifications', true);
  };
  const contact = (userId: string) => s.h.db.selectFrom('contacts').select(['email', 'email_bounced_at']).where('user_id', '=', userId).executeTakeFirstOrThrow();
  const mailsTo = (address: string) => s.smtp.messages().filter((m) => m.envelope.to.includes(address));

  it('fails the delivery with the server’s reply, marks the address bounced and e-mails it no more', async () => {
    await emailUser('ana', 'ana@example.test');
    s.smtp.rejectRecipient('ana@example.test', 550, 'user unknown: <ana@example.test>');
    const decisionId = await s.request('ana', { channels: ['email'] });
    const failed = await s.settled(decisionId);
    expect(failed).toMatchObject({ status: 'failed', channel: 'email', reason: 'refused', attempts: 1 });
    // The server's reply, without the address it quoted: details reach people and the event stream.
    expect(failed.detail).toContain('refused the mailbox for good at RCPT TO: 550 5.1.1 user unknown: <<address>>');
    expect(failed.detail).not.toContain('ana@');
    expect((await contact('ana')).email_bounced_at).toEqual(expect.any(Date));
    const events = await eventually(async () => {
      const found = (await s.h.eventsOn('signals.notification.failed')).filter((e) => e.message.decisionId === decisionId);
      return found.length > 0 ? found : undefined;
    }, 'the failed event');
    expect(events.map((e) => e.message)).toEqual([expect.objectContaining({ userId: 'ana', channel: 'email', reason: 'refused' })]);

    const refusedBefore = s.smtp.requests.refusedRecipients;
    expect(await s.settled(await s.request('ana', { channels: ['email'] }))).toMatchObject({ status: 'dropped', reason: 'no_destination' });
    expect(s.smtp.requests.refusedRecipients).toBe(refusedBefore);
    expect(mailsTo('ana@example.test')).toEqual([]);
  });

  it('falls back to push when the mailbox is refused, and sends later requests by push alone', async () => {
    await emailUser('bo', 'bo@example.test', ['email', 'push']);
    await s.consent('bo', 'push_notifications', true);
    const subscription = s.push.createSubscription();
    expect((await s.h.call('PUT', '/v1/notifier/push-subscriptions', 'bo', subscription)).status).toBe(201);
    s.smtp.rejectRecipient('bo@example.test', 550, 'user unknown');
    expect(await s.settled(await s.request('bo', { channels: ['email', 'push'] }))).toMatchObject({ status: 'delivered', channel: 'push' });
    expect((await contact('bo')).email_bounced_at).toEqual(expect.any(Date));
    const refusedBefore = s.smtp.requests.refusedRecipients;
    expect(await s.settled(await s.request('bo', { channels: ['email', 'push'] }))).toMatchObject({ status: 'delivered', channel: 'push' });
    expect(s.smtp.requests.refusedRecipients).toBe(refusedBefore);
    expect(s.push.messages(subscription.endpoint)).toHaveLength(2);
    expect(mailsTo('bo@example.test')).toEqual([]);
  });

  // X.7.1 is "delivery not authorized": usually about us (a policy, a block list), not the mailbox,
  // so the address stays in use. smtp-server puts 5.7.1 on a 557 reply.
  it('fails a policy refusal (5.7.1) without marking the address bounced, and e-mails the next request', async () => {
    await emailUser('cy', 'cy@example.test');
    s.smtp.failNext({ code: 557, stage: 'RCPT', message: 'Delivery not authorized, message refused' });
    const failed = await s.settled(await s.request('cy', { channels: ['email'] }));
    expect(failed).toMatchObject({ status: 'failed', channel: 'email', reason: 'refused' });
    expect(failed.detail).toContain('557 5.7.1 Delivery not authorized');
    expect((await contact('cy')).email_bounced_at).toBeNull();
    expect(await s.settled(await s.request('cy', { channels: ['email'] }))).toMatchObject({ status: 'delivered', channel: 'email' });
    expect(mailsTo('cy@example.test')).toHaveLength(1);
  });
});
