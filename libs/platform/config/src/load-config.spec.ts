import { z } from 'zod';
import { baseServiceSchema } from './base-service.schema';
import { bool, durationMs, int, natsUrl, port } from './config-fields';
import { ConfigError } from './config-error';
import { DEFAULT_PORTS } from './default-ports';
import { loadConfig } from './load-config';

const JWKS = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] });

const validEnv = {
  DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:5432/test',
  NATS_URL: 'nats://127.0.0.1:4222',
  AUTH_ISSUER: 'http://localhost:8081',
  AUTH_JWKS_URL: 'http://localhost:8081/.well-known/jwks.json',
};

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults from the service name and DEFAULT_PORTS', () => {
    const config = loadConfig(baseServiceSchema('ml-serving'), validEnv);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      PORT: DEFAULT_PORTS['ml-serving'],
      DB_SCHEMA: 'ml_serving',
      NATS_URL: ['nats://127.0.0.1:4222'],
      STREAM_PREFIX: '',
      SHUTDOWN_GRACE_MS: 10_000,
    });
  });

  it('stops with a message naming a missing key', () => {
    const { DATABASE_URL: _omitted, ...env } = validEnv;
    const error = configErrorOf(() => loadConfig(baseServiceSchema('profile'), env));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('DATABASE_URL: is required but not set');
    expect(error.problems).toEqual([{ key: 'DATABASE_URL', reason: 'is required but not set' }]);
  });

  it('lists every bad key in one error, including the JWKS rule', () => {
    const env = { ...validEnv, PORT: 'eighty', LOG_LEVEL: 'loud', NATS_URL: 'http://x', AUTH_JWKS_URL: undefined };
    const error = configErrorOf(() => loadConfig(baseServiceSchema('profile'), env));
    expect(error.problems.map((p) => p.key).sort()).toEqual(['AUTH_JWKS_URL', 'LOG_LEVEL', 'NATS_URL.0', 'PORT']);
    expect(error.message).toContain('PORT: must be an integer from 0 to 65535');
    expect(error.message).toContain('LOG_LEVEL: must be one of');
    expect(error.message).toContain('AUTH_JWKS_URL: set AUTH_JWKS_URL');
  });

  it('never echoes a value, which may be a secret', () => {
    const env = { ...validEnv, DATABASE_URL: 'mysql://root:hunter2@db/x' };
    const error = configErrorOf(() => loadConfig(baseServiceSchema('profile'), env));
    expect(error.message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects both JWKS sources at once and accepts inline JWKS alone', () => {
    const both = configErrorOf(() => loadConfig(baseServiceSchema('auth'), { ...validEnv, AUTH_JWKS: JWKS }));
    expect(both.message).toContain('set only one of AUTH_JWKS_URL and AUTH_JWKS');

    const inline = loadConfig(baseServiceSchema('auth'), { ...validEnv, AUTH_JWKS_URL: undefined, AUTH_JWKS: JWKS });
    expect(inline.AUTH_JWKS?.keys[0]?.kty).toBe('EC');
  });

  it('rejects inline JWKS that is not JSON or not a key set', () => {
    const base = { ...validEnv, AUTH_JWKS_URL: undefined };
    expect(configErrorOf(() => loadConfig(baseServiceSchema('auth'), { ...base, AUTH_JWKS: '{nope' })).message).toContain(
      'AUTH_JWKS: must be valid JSON',
    );
    expect(configErrorOf(() => loadConfig(baseServiceSchema('auth'), { ...base, AUTH_JWKS: '{"keys":[]}' })).message).toContain(
      'AUTH_JWKS: must be a JSON Web Key Set',
    );
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig(baseServiceSchema('auth'), { ...validEnv, AUTH_JWKS_URL: undefined, AUTH_JWKS: JWKS });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.NATS_URL)).toBe(true);
    expect(Object.isFrozen(config.AUTH_JWKS?.keys[0])).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it('treats empty values as unset so defaults apply', () => {
    expect(loadConfig(baseServiceSchema('gateway'), { ...validEnv, PORT: '' }).PORT).toBe(8080);
  });

  it('lets a service extend the base schema and keeps the JWKS rule', () => {
    const schema = baseServiceSchema('recommender').extend({ SCORE_TIMEOUT_MS: durationMs(50) });
    expect(loadConfig(schema, { ...validEnv, SCORE_TIMEOUT_MS: '2s' }).SCORE_TIMEOUT_MS).toBe(2_000);
    expect(configErrorOf(() => loadConfig(schema, { ...validEnv, AUTH_JWKS_URL: undefined })).problems).toEqual([
      expect.objectContaining({ key: 'AUTH_JWKS_URL' }),
    ]);
  });
});

describe('DEFAULT_PORTS', () => {
  it('is the frozen single source of default ports', () => {
    expect(DEFAULT_PORTS).toEqual({
      gateway: 8080,
      auth: 8081,
      profile: 8082,
      integrations: 8083,
      recommender: 8084,
      notifier: 8085,
      'ml-serving': 8086,
    });
    expect(Object.isFrozen(DEFAULT_PORTS)).toBe(true);
  });
});

describe('field helpers', () => {
  const parse = <T>(schema: z.ZodType<T>, value: string | undefined) => z.object({ V: schema }).parse({ V: value }).V;

  it('parses ports, ints, booleans and durations from strings', () => {
    expect(parse(port(), '0')).toBe(0);
    expect(parse(port(9000), undefined)).toBe(9000);
    expect(() => parse(port(), '70000')).toThrow();
    expect(parse(int({ min: 1, max: 5 }), '5')).toBe(5);
    expect(() => parse(int({ min: 1, max: 5 }), '6')).toThrow();
    expect(() => parse(int(), '1.5')).toThrow();
    expect(parse(bool(), 'true')).toBe(true);
    expect(parse(bool(), 'false')).toBe(false);
    expect(parse(bool(true), undefined)).toBe(true);
    expect(() => parse(bool(), 'yes')).toThrow();
    expect(parse(durationMs(), '1500')).toBe(1_500);
    expect(parse(durationMs(), '250ms')).toBe(250);
    expect(parse(durationMs(), '30s')).toBe(30_000);
    expect(parse(durationMs(), '5m')).toBe(300_000);
    expect(parse(durationMs(), '1h')).toBe(3_600_000);
    expect(() => parse(durationMs(), '5 minutes')).toThrow();
  });

  it('splits a comma-separated NATS server list', () => {
    expect(parse(natsUrl(), 'nats://a:4222, nats://b:4222')).toEqual(['nats://a:4222', 'nats://b:4222']);
  });
});
