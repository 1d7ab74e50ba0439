import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { ConfigError } from '@oo/config';
import { AuthError, createJwtVerifier, type JwtVerifier } from '@oo/http';
import { createLogger } from '@oo/logger';
import { createServiceTokenSource, type ServiceTokenConfig, type SetTimer } from './service-token-source';

const ISSUER = 'urn:oo:test';
const T0 = Date.parse('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;

let key: CryptoKey;
let otherKey: CryptoKey;
let verifier: JwtVerifier;
let now: number;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'ES256' }] };
  verifier = createJwtVerifier({ issuer: ISSUER, jwks, now: () => new Date(now) });
});

beforeEach(() => {
  now = T0;
});

/** A service token issued at `iatMs` that lives `lifetimeMs`. */
const token = (options: { sub?: string; iatMs?: number; lifetimeMs?: number; use?: string; signWith?: CryptoKey } = {}) => {
  const iat = Math.floor((options.iatMs ?? now) / 1000);
  return new SignJWT({ token_use: options.use ?? 'service' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k' })
    .setSubject(options.sub ?? 'recommender')
    .setIssuer(ISSUER)
    .setAudience('oo')
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.floor((options.lifetimeMs ?? HOUR) / 1000))
    .sign(options.signWith ?? key);
};

/** Timers that fire only when a test says so, and the log lines written so far. */
function harness(config: ServiceTokenConfig, files: Record<string, string> = {}, tokenVerifier: JwtVerifier | undefined = verifier) {
  const lines: { level: string; msg: string; reason?: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = createLogger({ service: 'recommender', level: 'info', destination });
  let timer: { run: () => Promise<void>; atMs: number } | undefined;
  const setTimer: SetTimer = (run, delayMs) => {
    const scheduled = { run, atMs: now + delayMs };
    timer = scheduled;
    return () => {
      if (timer === scheduled) timer = undefined;
    };
  };
  const readFile = async (path: string) => {
    const content = files[path];
    if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return content;
  };
  const source = createServiceTokenSource(config, log, { verifier: tokenVerifier, now: () => new Date(now), readFile, setTimer });
  /** Moves the clock to the next timer and runs it. */
  const fire = async () => {
    const due = timer;
    if (!due) throw new Error('no timer is set');
    timer = undefined;
    now = Math.max(now, due.atMs);
    await due.run();
  };
  const errors = () => lines.filter((l) => l.level === 'error');
  return { source, files, fire, lines, errors, nextTimerAt: () => timer?.atMs };
}

const startFails = async (config: ServiceTokenConfig, files?: Record<string, string>) => {
  const error = await harness(config, files).source.start().then(() => undefined, (err: unknown) => err);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
};

describe('the service token at start-up', () => {
  it('accepts a signed, unexpired recommender service token and hands it out', async () => {
    const t = await token();
    const { source } = harness({ SERVICE_TOKEN: t });
    await source.start();
    expect(source.current()).toBe(t);
    expect(source.expiresAt()).toEqual(new Date(T0 + HOUR));
  });

  it('fails with a config error naming the key for an expired, foreign, forged or user token', async () => {
    expect(await startFails({ SERVICE_TOKEN: await token({ iatMs: T0 - 2 * HOUR }) })).toEqual([{ key: 'SERVICE_TOKEN', reason: 'has expired (at 2026-11-23T09:00:00.000Z)' }]);
    expect((await startFails({ SERVICE_TOKEN: await token({ sub: 'notifier' }) }))[0]?.reason).toBe('must be issued to recommender (sub "recommender")');
    expect((await startFails({ SERVICE_TOKEN: await token({ use: 'access' }) }))[0]?.reason).toMatch(/must be a service token/);
    expect((await startFails({ SERVICE_TOKEN: await token({ signWith: otherKey }) }))[0]?.reason).toMatch(/^is not accepted by this service's own token check/);
  });

  it('reads SERVICE_TOKEN_FILE, and names it when the file is missing or holds a bad token', async () => {
    const t = await token();
    const { source } = harness({ SERVICE_TOKEN_FILE: '/run/token' }, { '/run/token': `${t}\n` });
    await source.start();
    expect(source.current()).toBe(t);
    expect(await startFails({ SERVICE_TOKEN_FILE: '/run/none' })).toEqual([{ key: 'SERVICE_TOKEN_FILE', reason: 'cannot be read (ENOENT)' }]);
    expect((await startFails({ SERVICE_TOKEN_FILE: '/run/token' }, { '/run/token': 'garbage' }))[0]?.key).toBe('SERVICE_TOKEN_FILE');
  });

  it('reads a real file by default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oo-token-'));
    try {
      const t = await token();
      await writeFile(join(dir, 'token'), t);
      const source = createServiceTokenSource({ SERVICE_TOKEN_FILE: join(dir, 'token') }, createLogger({ service: 'recommender', level: 'silent' }), { verifier, now: () => new Date(now) });
      await source.start();
      expect(source.current()).toBe(t);
      source.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('falls back to checking the claims when the signing keys cannot be fetched', async () => {
    const unreachable: JwtVerifier = { verify: async () => Promise.reject(new AuthError('AUTH_KEYS_UNAVAILABLE', 'the signing keys could not be loaded')) };
    const h = harness({ SERVICE_TOKEN: await token() }, {}, unreachable);
    await h.source.start();
    expect(h.lines.some((l) => l.level === 'warn' && /claims only/.test(l.msg))).toBe(true);
  });
});

describe('renewing the service token', () => {
  it('re-reads the file at 80% of the lifetime and sends the new token from then on', async () => {
    const h = harness({ SERVICE_TOKEN_FILE: '/run/token' }, { '/run/token': await token() });
    await h.source.start();
    expect(h.nextTimerAt()).toBe(T0 + 0.8 * HOUR);
    now = T0 + 0.75 * HOUR;
    const renewed = await token({ iatMs: now });
    h.files['/run/token'] = renewed;
    await h.fire();
    expect(h.source.current()).toBe(renewed);
    expect(h.source.expiresAt()).toEqual(new Date(T0 + 0.75 * HOUR + HOUR));
    expect(h.nextTimerAt()).toBe(T0 + 0.75 * HOUR + 0.8 * HOUR);
    expect(h.lines.some((l) => l.msg === 'service token renewed')).toBe(true);
    expect(h.errors()).toEqual([]);
  });

  it('keeps trying while the file is not renewed, logs an error before expiry and another at expiry', async () => {
    const first = await token();
    const h = harness({ SERVICE_TOKEN_FILE: '/run/token' }, { '/run/token': first });
    await h.source.start();
    await h.fire(); // 80%: same token, only a warning
    expect(h.errors()).toEqual([]);
    while (h.errors().length === 0) await h.fire();
    expect(now).toBeGreaterThanOrEqual(T0 + 0.9 * HOUR);
    expect(now).toBeLessThan(T0 + HOUR);
    expect(h.errors()[0]).toMatchObject({ msg: 'the service token expires soon and no renewed token is available', reason: 'the file still holds the same token' });
    while (now < T0 + HOUR) await h.fire();
    expect(h.errors().map((e) => e.msg)).toEqual([
      'the service token expires soon and no renewed token is available',
      'the service token has expired and was not renewed: profile and ml-serving will refuse our calls',
    ]);
    expect(h.source.current()).toBe(first);

    // The platform may still catch up: the next valid token is taken.
    const late = await token({ iatMs: now });
    h.files['/run/token'] = late;
    await h.fire();
    expect(h.source.current()).toBe(late);
  });

  it('refuses a renewed token that is not valid and keeps the current one', async () => {
    const first = await token();
    const h = harness({ SERVICE_TOKEN_FILE: '/run/token' }, { '/run/token': first });
    await h.source.start();
    h.files['/run/token'] = await token({ sub: 'notifier' });
    await h.fire();
    expect(h.source.current()).toBe(first);
    expect(h.lines.at(-1)).toMatchObject({ level: 'warn', reason: 'must be issued to recommender (sub "recommender")' });
  });

  it('says at 80% that a token from SERVICE_TOKEN cannot be renewed, and again when it expires', async () => {
    const h = harness({ SERVICE_TOKEN: await token() });
    await h.source.start();
    await h.fire();
    expect(h.errors()).toMatchObject([{ msg: 'the service token expires soon and no renewed token is available', reason: expect.stringMatching(/use SERVICE_TOKEN_FILE/) }]);
    await h.fire();
    expect(now).toBe(T0 + HOUR);
    expect(h.errors()).toHaveLength(2);
    expect(h.nextTimerAt()).toBeUndefined();
  });

  it('stops renewing on stop()', async () => {
    const h = harness({ SERVICE_TOKEN_FILE: '/run/token' }, { '/run/token': await token() });
    await h.source.start();
    h.source.stop();
    expect(h.nextTimerAt()).toBeUndefined();
  });
});
