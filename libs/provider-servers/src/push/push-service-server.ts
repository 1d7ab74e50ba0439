import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';
import { importJWK, jwtVerify } from 'jose';

/** A browser's PushSubscription JSON, as the stand-in hands it out. */
export interface StandInSubscription {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

/** One message the stand-in accepted, decrypted. */
export interface ReceivedPush {
  endpoint: string;
  payload: unknown;
  ttl: number;
  urgency: string | undefined;
  topic: string | undefined;
  /** The `sub` claim of the sender's VAPID JWT. */
  subject: string;
}

export interface PushServiceFailure {
  status: number;
  retryAfter?: number;
  times?: number;
}

/** A running push-service stand-in with the controls of a test. */
export interface PushService {
  readonly url: string;
  /** A subscription as a browser would make one: keys generated here, the private half kept. */
  createSubscription(): StandInSubscription;
  /** Every decrypted message, or those of one endpoint. */
  messages(endpoint?: string): ReceivedPush[];
  /** From now on the subscription answers 410 Gone. */
  expire(subscription: { endpoint: string }): void;
  failNext(failure: PushServiceFailure): void;
  readonly requests: { total: number; refused: number };
  stop(): Promise<void>;
}

const b64 = (buf: Buffer) => buf.toString('base64url');

type Reply = { status: number; headers?: Record<string, string>; body?: string };

// RFC 8292 §2–3: `vapid t=<JWT>, k=<public key>`; the JWT's audience is our origin.
async function checkVapid(authorization: string | undefined, origin: string): Promise<{ ok: true; subject: string } | { ok: false; status: number; why: string }> {
  const match = /^vapid\s+t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) return { ok: false, status: 401, why: 'missing or malformed vapid authorization' };
  const raw = Buffer.from(match[2] ?? '', 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return { ok: false, status: 401, why: 'k is not an uncompressed P-256 key' };
  const key = await importJWK({ kty: 'EC', crv: 'P-256', x: b64(raw.subarray(1, 33)), y: b64(raw.subarray(33)) }, 'ES256');
  try {
    const { payload } = await jwtVerify(match[1] ?? '', key, { algorithms: ['ES256'], audience: origin });
    const exp = payload.exp ?? 0;
    if (exp * 1000 > Date.now() + 24 * 3_600_000 + 60_000) return { ok: false, status: 403, why: 'exp is more than 24 h ahead' };
    if (typeof payload.sub !== 'string' || !/^(mailto:|https:)/.test(payload.sub)) return { ok: false, status: 403, why: 'sub must be a mailto: or https: contact' };
    return { ok: true, subject: payload.sub };
  } catch (error) {
    return { ok: false, status: 403, why: `the VAPID JWT does not verify (${error instanceof Error ? error.message : String(error)})` };
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A local push service (RFC 8030) that does what a real one checks and what the browser does
 * after it: verifies the VAPID JWT (RFC 8292) and decrypts the aes128gcm payload (RFC 8291) with
 * the subscription's private key and auth secret, so a test sees the exact message a service
 * worker would.
 *
 * @example
 * const push = await startPushService();
 * const subscription = push.createSubscription();
 * // … the notifier sends …
 * push.messages(subscription.endpoint) // [{ payload: { title, … }, ttl, urgency, topic, subject }]
 */
export async function startPushService(options: { port?: number } = {}): Promise<PushService> {
  const subscriptions = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer; expired: boolean }>();
  const received: ReceivedPush[] = [];
  const failures: { failure: PushServiceFailure; left: number }[] = [];
  const requests = { total: 0, refused: 0 };
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const answer = async (req: IncomingMessage): Promise<Reply> => {
    requests.total += 1;
    const id = /^\/push\/([A-Za-z0-9-]+)$/.exec(req.url ?? '')?.[1];
    const subscription = id ? subscriptions.get(id) : undefined;
    if (req.method !== 'POST' || !id || !subscription) return { status: 404, body: 'no such subscription' };
    const injected = failures[0];
    if (injected) {
      injected.left -= 1;
      if (injected.left <= 0) failures.shift();
      return { status: injected.failure.status, headers: injected.failure.retryAfter !== undefined ? { 'retry-after': String(injected.failure.retryAfter) } : {} };
    }
    if (subscription.expired) return { status: 410, body: 'push subscription has unsubscribed or expired' };
    const vapid = await checkVapid(req.headers.authorization, url);
    if (!vapid.ok) return { status: vapid.status, body: vapid.why };
    const ttl = Number(req.headers['ttl']);
    if (!Number.isInteger(ttl) || ttl < 0) return { status: 400, body: 'a TTL header is required' };
    if (req.headers['content-encoding'] !== 'aes128gcm') return { status: 415, body: 'only aes128gcm is accepted' };
    const body = await readBody(req);
    if (body.length > 4096) return { status: 413, body: 'payload too large' };
    const plaintext = ece.decrypt(body, { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: b64(subscription.auth) });
    received.push({
      endpoint: `${url}/push/${id}`,
      payload: JSON.parse(plaintext.toString('utf8')) as unknown,
      ttl,
      urgency: req.headers['urgency'] as string | undefined,
      topic: req.headers['topic'] as string | undefined,
      subject: vapid.subject,
    });
    return { status: 201, headers: { location: `${url}/messages/${randomUUID()}` } };
  };

  server.on('request', (req, res) => {
    answer(req)
      .catch((error: unknown): Reply => ({ status: 400, body: `could not decrypt the message (${error instanceof Error ? error.message : String(error)})` }))
      .then((reply) => {
        if (reply.status >= 400) requests.refused += 1;
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? '');
      });
  });

  return {
    url,
    requests,
    createSubscription() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomUUID();
      subscriptions.set(id, { ecdh, auth, expired: false });
      return { endpoint: `${url}/push/${id}`, expirationTime: null, keys: { p256dh: b64(ecdh.getPublicKey()), auth: b64(auth) } };
    },
    messages: (endpoint) => received.filter((m) => endpoint === undefined || m.endpoint === endpoint),
    expire(subscription) {
      const id = subscription.endpoint.split('/push/')[1] ?? '';
      const found = subscriptions.get(id);
      if (found) found.expired = true;
    },
    failNext(failure) {
      failures.push({ failure, left: failure.times ?? 1 });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
