import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startSmtpServer, type SmtpServer } from '@oo/provider-servers';
import type { EmailMessage } from '../src/features/channels/channel';
import { buildTipEmail } from '../src/features/channels/email/email-content';
import { createEmailSender, type EmailSender } from '../src/features/channels/email/email-sender';

// The e-mail channel against a local SMTP server: what a recipient's mailbox would get, and what
// the notifier is told when the relay refuses, defers or cannot be reached.
const FROM = 'oO <tips@oo.example>';
const UNSUBSCRIBE = 'https://app.oo.example/v1/notifier/unsubscribe?token=signed.token';
const TIP = 'https://app.oo.example/?tip=t1&decision=d1';

const message = (to: string, deliveryId: string, title = 'Renew the passport'): EmailMessage => ({
  to,
  ...buildTipEmail({ title, body: 'It expires in three weeks.', tipUrl: TIP, unsubscribeUrl: UNSUBSCRIBE, displayName: 'Ana' }),
  unsubscribeUrl: UNSUBSCRIBE,
  deliveryId,
});

describe('e-mail channel', () => {
  let smtp: SmtpServer;
  let email: EmailSender;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    email = createEmailSender({ smtpUrl: smtp.url, from: FROM, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await email?.close();
    await smtp?.stop();
  });
  const mailTo = (address: string) => smtp.messages().filter((m) => m.envelope.to.includes(address));

  it('delivers a tip with the RFC 8058 one-click headers, both bodies and the title escaped in the HTML', async () => {
    const outcome = await email.send(message('ana@example.com', 'delivery-1', '<script>alert(1)</script> Renew the passport'));
    const [mail] = mailTo('ana@example.com');
    expect(outcome).toEqual({ kind: 'delivered', status: 250, messageId: mail?.queueId });
    expect(mail).toMatchObject({ from: 'tips@oo.example', to: ['ana@example.com'], subject: '<script>alert(1)</script> Renew the passport' });
    expect(mail?.headers).toMatchObject({
      'list-unsubscribe': `<${UNSUBSCRIBE}>`,
      'list-unsubscribe-post': 'List-Unsubscribe=One-Click',
      'auto-submitted': 'auto-generated',
      'message-id': '<delivery-1@oo.example>',
    });
    expect(mail?.text).toContain(`Open the tip: ${TIP}`);
    expect(mail?.text).toContain(UNSUBSCRIBE);
    expect(mail?.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Renew the passport');
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).toContain(`<a href="${TIP.replace('&', '&amp;')}"`);
    expect(mail?.html).toMatch(new RegExp(`<a href="${UNSUBSCRIBE.replace(/[.?]/g, '\\$&')}"[^>]*>Stop these e-mails</a>`));
  });

  it('offers no one-click POST for a link that is not https (RFC 8058 requires it)', async () => {
    const plain = 'http://localhost:3000/v1/notifier/unsubscribe?token=t';
    expect(await email.send({ ...message('bo@example.com', 'delivery-2'), unsubscribeUrl: plain })).toMatchObject({ kind: 'delivered' });
    const [mail] = mailTo('bo@example.com');
    expect(mail?.headers['list-unsubscribe']).toBe(`<${plain}>`);
    expect(mail?.headers['list-unsubscribe-post']).toBeUndefined();
  });

  it('reports a mailbox the server refuses for good (550) as gone', async () => {
    smtp.rejectRecipient('left@example.com', 550, 'No such user here');
    const outcome = await email.send(message('left@example.com', 'delivery-3'));
    expect(outcome).toMatchObject({ kind: 'gone', status: 550 });
    expect(outcome.kind === 'gone' && outcome.detail).toContain('550 5.1.1 No such user here');
    expect(mailTo('left@example.com')).toHaveLength(0);
  });

  it('reports another permanent refusal (554 after DATA) as failed, not as a dead address', async () => {
    smtp.failNext({ code: 554, stage: 'DATA', message: 'Message rejected' });
    expect(await email.send(message('cy@example.com', 'delivery-4'))).toMatchObject({ kind: 'failed', status: 554 });
    expect(mailTo('cy@example.com')).toHaveLength(0);
  });

  it('reports a temporary refusal (451 at RCPT or DATA, 421 at MAIL) as retry, and the next attempt gets through', async () => {
    smtp.failNext({ code: 451, stage: 'RCPT', message: 'Try again later' });
    expect(await email.send(message('di@example.com', 'delivery-5'))).toMatchObject({ kind: 'retry', status: 451 });
    smtp.failNext({ code: 451, stage: 'DATA' });
    expect(await email.send(message('di@example.com', 'delivery-5'))).toMatchObject({ kind: 'retry', status: 451 });
    smtp.failNext({ code: 421, stage: 'MAIL', message: 'Too busy' });
    expect(await email.send(message('di@example.com', 'delivery-5'))).toMatchObject({ kind: 'retry', status: 421 });
    expect(mailTo('di@example.com')).toHaveLength(0);
    expect(await email.send(message('di@example.com', 'delivery-5'))).toMatchObject({ kind: 'delivered' });
    expect(mailTo('di@example.com')).toHaveLength(1);
  });

  it('sends nothing to a stored address that names more than one mailbox', async () => {
    const before = smtp.requests.recipients;
    expect(await email.send(message('ed@example.com, eve@example.com', 'delivery-6'))).toMatchObject({ kind: 'gone' });
    expect(smtp.requests.recipients).toBe(before);
  });

  it('reports a server that is down as retry', async () => {
    const down = await startSmtpServer();
    const sender = createEmailSender({ smtpUrl: down.url, from: FROM, timeoutMs: 2_000 });
    try {
      expect(await sender.send(message('fa@example.com', 'delivery-7'))).toMatchObject({ kind: 'delivered' });
      await down.stop();
      const outcome = await sender.send(message('fa@example.com', 'delivery-8'));
      expect(outcome).toMatchObject({ kind: 'retry' });
      expect(outcome.kind === 'retry' && outcome.detail).toMatch(/ECONNECTION|ECONNREFUSED/);
      expect(await sender.verify()).toBe(false);
    } finally {
      await sender.close();
    }
  });

  it('reports a server that never answers as retry once the timeout passes', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const sender = createEmailSender({ smtpUrl: `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`, from: FROM, timeoutMs: 300 });
    try {
      expect(await sender.send(message('gi@example.com', 'delivery-9'))).toMatchObject({ kind: 'retry' });
    } finally {
      await sender.close();
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('e-mail channel with a login', () => {
  let smtp: SmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer({ user: 'oo', password: 'correct-horse' });
  });
  afterAll(() => smtp?.stop());
  const withLogin = (user: string, password: string) =>
    createEmailSender({ smtpUrl: `smtp://${user}:${password}@${smtp.host}:${smtp.port}`, from: FROM, timeoutMs: 5_000 });

  it('logs in and delivers with the right password', async () => {
    const email = createEmailSender({ smtpUrl: smtp.url, from: FROM, timeoutMs: 5_000 });
    try {
      expect(await email.verify()).toBe(true);
      expect(await email.send(message('ha@example.com', 'delivery-10'))).toMatchObject({ kind: 'delivered' });
      expect(smtp.messages()).toHaveLength(1);
    } finally {
      await email.close();
    }
  });

  // A wrong password is a deployment mistake: every mail would fail the same way, and retrying
  // one changes nothing until an operator fixes SMTP_URL, so it is failed, never gone (the
  // recipient's address is fine) and never retried in a loop against the relay.
  it('reports a refused login (535) as failed, naming the login but never the password', async () => {
    const email = withLogin('oo', 'wrong-password');
    try {
      expect(await email.verify()).toBe(false);
      const outcome = await email.send(message('ha@example.com', 'delivery-11'));
      expect(outcome).toMatchObject({ kind: 'failed', status: 535 });
      expect(outcome.kind === 'failed' && outcome.detail).toContain('oo@127.0.0.1');
      expect(JSON.stringify(outcome)).not.toContain('wrong-password');
      expect(smtp.requests.failedLogins).toBeGreaterThanOrEqual(2);
    } finally {
      await email.close();
    }
  });

  it('reports a relay without STARTTLS as failed when TLS is required', async () => {
    const email = createEmailSender({ smtpUrl: smtp.url, from: FROM, timeoutMs: 5_000, requireTls: true });
    try {
      const outcome = await email.send(message('ha@example.com', 'delivery-12'));
      expect(outcome).toMatchObject({ kind: 'failed' });
      expect(outcome.kind === 'failed' && outcome.detail).toContain('STARTTLS');
      expect(JSON.stringify(outcome)).not.toContain('correct-horse');
      expect(smtp.messages()).toHaveLength(1);
    } finally {
      await email.close();
    }
  });
});
