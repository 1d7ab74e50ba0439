// A local mail relay that speaks SMTP (RFC 5321) as a submission server does: AUTH PLAIN/LOGIN
// when it has a login, replies with enhanced status codes (RFC 3463), a queue id in the reply to
// DATA, every accepted mail parsed and kept; and a control surface to refuse mailboxes and inject
// failures. Plain TCP only, no STARTTLS: it listens on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

export interface SmtpServerOptions {
  /** 0 (the default): a free port. */
  port?: number;
  /** With both set, mail needs AUTH with this login (a wrong one is 535); else no login at all. */
  user?: string;
  password?: string;
}

/** The SMTP command an injected failure answers. */
export type SmtpStage = 'MAIL' | 'RCPT' | 'DATA';

/** A reply to inject instead of the next ones at a stage. */
export interface SmtpFailure {
  /** 421 also closes the connection, as a server going down does. */
  code: number;
  /** Default `RCPT`. */
  stage?: SmtpStage;
  /** How many commands in a row get it; 1 by default. */
  times?: number;
  message?: string;
}

/** A mail the server accepted. */
export interface ReceivedMail {
  /** MAIL FROM and RCPT TO, as the client sent them. */
  envelope: { from: string; to: string[] };
  /** The addresses of the From and To headers. */
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Lowercase header names to their raw (unfolded, not decoded) values; a repeated header keeps its first value. */
  headers: Readonly<Record<string, string>>;
  /** The queue id the reply to DATA named. */
  queueId: string;
  /** The message as it came over the wire. */
  raw: string;
}

export interface SmtpServerRequests {
  connections: number;
  /** AUTH attempts refused. */
  failedLogins: number;
  /** RCPT TO commands seen, and how many were refused (by `rejectRecipient` or an injected failure). */
  recipients: number;
  refusedRecipients: number;
  /** Mails accepted after DATA. */
  accepted: number;
}

export interface SmtpServer {
  /** `smtp://[user:password@]127.0.0.1:<port>`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly requests: Readonly<SmtpServerRequests>;
  /** The mails accepted so far, oldest first. */
  messages(): ReceivedMail[];
  /** Refuses a mailbox at RCPT TO from now on (550: `5.1.1 No such user`), as a server does for a dead address. */
  rejectRecipient(address: string, code?: number, message?: string): void;
  failNext(failure: SmtpFailure): void;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Starts a local SMTP server on 127.0.0.1 that accepts any mail and keeps it, parsed.
 *
 * @example
 * const smtp = await startSmtpServer({ user: 'oo', password: 'secret' });
 * const email = createEmailSender({ smtpUrl: smtp.url, from: 'oO <tips@oo.example>' });
 * await email.send(message);
 * smtp.messages()[0]?.headers['list-unsubscribe-post']; // 'List-Unsubscribe=One-Click'
 * smtp.rejectRecipient('gone@example.com');
 * smtp.failNext({ code: 451, stage: 'DATA' });
 * await smtp.stop();
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpServer> {
  const login = options.user !== undefined && options.password !== undefined ? { user: options.user, password: options.password } : null;
  const received: ReceivedMail[] = [];
  const rejected = new Map<string, { code: number; message: string }>();
  const failures: SmtpFailure[] = [];
  const requests: SmtpServerRequests = { connections: 0, failedLogins: 0, recipients: 0, refusedRecipients: 0, accepted: 0 };

  const injected = (stage: SmtpStage): SMTPServerError | null => {
    const index = failures.findIndex((f) => (f.stage ?? 'RCPT') === stage);
    const failure = failures[index];
    if (!failure) return null;
    if ((failure.times = (failure.times ?? 1) - 1) <= 0) failures.splice(index, 1);
    return smtpError(failure.code, failure.message ?? `Injected failure at ${stage}`);
  };

  const server = new SMTPServer({
    name: 'smtp.oo.test',
    banner: 'oO local SMTP server',
    disabledCommands: login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !login,
    authMethods: ['PLAIN', 'LOGIN'],
    // There is no TLS on the loopback: a login over plain text is the point of the stand-in.
    allowInsecureAuth: true,
    hideENHANCEDSTATUSCODES: false,
    // stop() should not wait for a pooled client's idle connections.
    closeTimeout: 50,
    onConnect(_session, callback) {
      requests.connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (login && auth.username === login.user && auth.password === login.password) return callback(null, { user: auth.username });
      requests.failedLogins += 1;
      return callback(smtpError(535, 'Authentication credentials invalid'));
    },
    onMailFrom(_address, _session, callback) {
      callback(injected('MAIL'));
    },
    onRcptTo(address, _session, callback) {
      requests.recipients += 1;
      const refusal = rejected.get(address.address.toLowerCase());
      const error = refusal ? smtpError(refusal.code, refusal.message) : injected('RCPT');
      if (error) requests.refusedRecipients += 1;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const error = injected('DATA');
        if (error) return callback(error);
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        const queueId = randomBytes(5).toString('hex').toUpperCase();
        simpleParser(raw).then(
          (mail) => {
            received.push({
              envelope,
              from: addresses(mail.from)[0] ?? '',
              to: addresses(mail.to),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: mail.html || '',
              headers: rawHeaders(mail.headerLines),
              queueId,
              raw,
            });
            requests.accepted += 1;
            callback(null, `Ok: queued as ${queueId}`);
          },
          (parseError: unknown) => callback(smtpError(554, `Cannot parse the message: ${String(parseError)}`)),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const credentials = login ? `${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@` : '';

  return {
    url: `smtp://${credentials}${HOST}:${port}`,
    host: HOST,
    port,
    requests,
    messages: () => [...received],
    rejectRecipient(address, code = 550, message = 'No such user here') {
      rejected.set(address.toLowerCase(), { code, message });
    },
    failNext: (failure) => void failures.push({ ...failure }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function smtpError(code: number, message: string): SMTPServerError {
  return Object.assign(new Error(message), { responseCode: code });
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.map((v) => v.address ?? '')).filter(Boolean);
}

// mailparser decodes and restructures headers; a test of List-Unsubscribe wants what was sent.
function rawHeaders(lines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of lines) {
    const unfolded = line.replace(/\r?\n(?=[ \t])/g, '');
    const value = unfolded.slice(unfolded.indexOf(':') + 1).trim();
    headers[key] ??= value;
  }
  return headers;
}
