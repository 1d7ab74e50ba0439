// The e-mail channel: one pooled SMTP transport to the relay, and the translation of what the
// relay answers into a DeliveryOutcome. The SMTP password never leaves this file: outcome details
// name the host and the login, and any text that would carry the password or an address is scrubbed.
import { createTransport } from 'nodemailer';
import type { DeliveryOutcome, EmailMessage } from '../channel';

export interface EmailSenderOptions {
  /** `smtp://user:pass@host:587` (STARTTLS) or `smtps://user:pass@host:465` (TLS from the start). */
  smtpUrl: string;
  /** The From header, `oO <tips@oo.example>`; its domain also names the Message-ID. */
  from: string;
  /** Connecting, the greeting and each later reply give up after this long; default 15 s. */
  timeoutMs?: number;
  /** Refuse to talk to an `smtp://` server that does not offer STARTTLS; default on, except for a loopback host. */
  requireTls?: boolean;
}

export interface EmailSender {
  /** One attempt; never throws, the outcome says what happened. */
  send(message: EmailMessage): Promise<DeliveryOutcome>;
  /** Connects and logs in once: false when the relay cannot be reached or refuses the login. */
  verify(): Promise<boolean>;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

interface SmtpEndpoint {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * Creates the e-mail channel over SMTP. A 5xx refusal of the mailbox is `gone` (the address is
 * marked bounced), any other 5xx `failed`, a 4xx or an unreachable relay `retry`; `delivered`
 * carries the relay's queue id when its reply names one, else the Message-ID we set.
 *
 * @example
 * const email = createEmailSender({ smtpUrl: 'smtp://oo:secret@smtp.oo.example:587', from: 'oO <tips@oo.example>' });
 * const outcome = await email.send({ to: 'ana@example.com', subject, text, html, unsubscribeUrl, deliveryId });
 * // { kind: 'delivered', status: 250, messageId: '4BxYz1' }
 * await email.close();
 */
export function createEmailSender(options: EmailSenderOptions): EmailSender {
  const endpoint = parseSmtpUrl(options.smtpUrl);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const where = `${endpoint.user ? `${endpoint.user}@` : ''}${endpoint.host}:${endpoint.port}`;
  const transport = createTransport({
    pool: true,
    maxConnections: 3,
    maxMessages: 100,
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.secure,
    requireTLS: !endpoint.secure && (options.requireTls ?? !LOOPBACK.has(endpoint.host)),
    tls: { minVersion: 'TLSv1.2' },
    ...(endpoint.user ? { auth: { user: endpoint.user, pass: endpoint.pass } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // The message is only ever our own text; nodemailer must not read files or fetch URLs for it.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  // Mail servers quote the recipient in their replies; details are for people and the event
  // stream, which must never carry an address (NotificationFailed.detail). Our own login@host stays.
  const withoutAddresses = (text: string) => text.replace(/[^\s<>"'@,;:()]+@[^\s<>"'@,;:()]+/g, '<address>');
  const scrub = (text: string) =>
    (endpoint.pass.length >= 3 ? text.split(endpoint.pass).join('***') : text)
      .split(where)
      .map(withoutAddresses)
      .join(where);
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(options.from)?.[1] ?? 'oo.local';

  return {
    async send(message) {
      // One recipient, always: a stored address with a comma in it must not become a mailing list.
      if (!/^[^\s@,;<>"]+@[^\s@,;<>"]+$/.test(message.to)) return { kind: 'gone', detail: 'not a single deliverable e-mail address' };
      const oneClick = message.unsubscribeUrl.startsWith('https://');
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${message.deliveryId.replace(/[^A-Za-z0-9._-]/g, '_')}@${domain}>`,
          list: { unsubscribe: message.unsubscribeUrl },
          headers: {
            // RFC 8058 one-click needs an https URL; over http the link stays a plain RFC 2369 one.
            ...(oneClick ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
            // RFC 3834: vacation responders and auto-replies stay quiet.
            'Auto-Submitted': 'auto-generated',
            'X-Auto-Response-Suppress': 'OOF, AutoReply',
          },
        });
        const status = Number(/^\d{3}/.exec(info.response)?.[0]) || undefined;
        return { kind: 'delivered', status, messageId: queueIdOf(info.response) ?? info.messageId };
      } catch (error) {
        const outcome = classifySmtpFailure(error, where);
        return { ...outcome, detail: scrub(outcome.detail) };
      }
    },
    async verify() {
      try {
        return await transport.verify();
      } catch {
        return false;
      }
    },
    async close() {
      transport.close();
    },
  };
}

// The URL holds the password, so no message here repeats it.
function parseSmtpUrl(smtpUrl: string): SmtpEndpoint {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new TypeError('the SMTP URL is not a URL (expected smtp://user:pass@host:port or smtps://…)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new TypeError(`the SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  if (!url.hostname) throw new TypeError('the SMTP URL names no host');
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
  };
}

/** What nodemailer puts on its errors (see its error reference). */
interface SmtpFailure {
  message: string;
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

// Unreachable, dropped or slow: another attempt later may well get through.
const TRANSIENT = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EMAXLIMIT', 'ECONNREFUSED', 'ECONNRESET']);
// RFC 3463 subjects that say the mailbox itself is wrong: X.1.0-3, 6 and 10 (address), X.2.1 (disabled).
const DEAD_MAILBOX = /^5\.(1\.(0|1|2|3|6|10)|2\.1)$/;
// Without an enhanced code, a 550 can still be about us (a relay that will not relay for us, a
// block list); marking the address bounced then would silence a working mailbox.
const ABOUT_THE_SENDER = /relay|authenticat|polic|spam|block|blacklist|reputation|dmarc|spf|dkim/i;

function classifySmtpFailure(error: unknown, where: string): Exclude<DeliveryOutcome, { kind: 'delivered' }> {
  // Not `instanceof Error`: socket errors come from Node's own realm, which a test sandbox is not.
  const e: SmtpFailure = typeof error === 'object' && error !== null && 'message' in error ? (error as SmtpFailure) : { message: String(error) };
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const reply = (e.response ?? e.message).replace(/\s+/g, ' ').trim();
  const stage = e.command ? ` at ${e.command}` : '';
  if (status !== undefined && status >= 400 && status < 500) return { kind: 'retry', status, detail: `${where} deferred the mail${stage}: ${reply}` };
  if (e.code === 'ETLS' || e.command === 'STARTTLS') return { kind: 'failed', status, detail: `${where} offers no working STARTTLS and TLS is required: ${reply}` };
  if (status !== undefined && status >= 500) {
    if (e.code === 'EAUTH') return { kind: 'failed', status, detail: `${where} refused the login (check SMTP_URL): ${reply}` };
    if (refusesMailbox(status, e)) return { kind: 'gone', status, detail: `${where} refused the mailbox for good${stage}: ${reply}` };
    return { kind: 'failed', status, detail: `${where} refused the mail${stage}: ${reply}` };
  }
  if (e.code && TRANSIENT.has(e.code)) return { kind: 'retry', detail: `cannot get through to ${where} (${e.code}): ${e.message}` };
  return { kind: 'failed', detail: `sending through ${where} failed${e.code ? ` (${e.code})` : ''}: ${e.message}` };
}

function refusesMailbox(status: number, e: SmtpFailure): boolean {
  if (e.command !== 'RCPT TO' && e.command !== 'DATA') return false;
  const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(e.response ?? '')?.[1];
  if (enhanced) return DEAD_MAILBOX.test(enhanced);
  return e.command === 'RCPT TO' && [550, 551, 553].includes(status) && !ABOUT_THE_SENDER.test(e.response ?? '');
}

// Relays name their queue entry in the reply to DATA: Postfix `queued as 4BxYz`, Exim `id=1r2s3t-…`.
function queueIdOf(response: string): string | undefined {
  return /queued as ([^\s>]+)/i.exec(response)?.[1] ?? /\bid=([^\s>]+)/i.exec(response)?.[1];
}
