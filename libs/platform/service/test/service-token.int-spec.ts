import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@oo/testing';
import { createClientCredentialsSource, serviceTokenSourceFromConfig } from '../src';

// A token endpoint that speaks RFC 6749 §4.4: Basic client authentication, a form body.
interface TokenEndpoint {
  url: string;
  requests: { client: string; secret: string; grant: string | null }[];
  /** What the next requests get: a status to fail with (`failTimes` times, else always), or tokens of this lifetime. */
  answer: { fail?: number; failTimes?: number; expiresIn: number };
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

async function startTokenEndpoint(secret: string): Promise<TokenEndpoint> {
  const endpoint = { requests: [], answer: { expiresIn: 600 } } as unknown as TokenEndpoint;
  let issued = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const grant = new URLSearchParams(await readBody(req)).get('grant_type');
      const [client = '', given = ''] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
      endpoint.requests.push({ client, secret: given, grant });
      res.setHeader('content-type', 'application/json');
      if (endpoint.answer.fail && endpoint.answer.failTimes !== 0) {
        if (endpoint.answer.failTimes) endpoint.answer.failTimes -= 1;
        return void res.writeHead(endpoint.answer.fail).end('{}');
      }
      if (given !== secret) return void res.writeHead(401).end(JSON.stringify({ error: 'invalid_client' }));
      res.end(JSON.stringify({ access_token: `token-${++issued}`, token_type: 'Bearer', expires_in: endpoint.answer.expiresIn }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  endpoint.url = `http://127.0.0.1:${address.port}/oauth/token`;
  endpoint.close = () => new Promise((resolve) => server.close(() => resolve()));
  return endpoint;
}

describe('service tokens by client credentials', () => {
  let endpoint: TokenEndpoint;
  beforeEach(async () => (endpoint = await startTokenEndpoint('s3cret:/')));
  afterEach(() => endpoint.close());

  it('fetches on first use with Basic auth, caches, and renews at 80% of the life while the old token still serves', async () => {
    let now = 1_000_000;
    const token = createClientCredentialsSource({ tokenUrl: endpoint.url, clientId: 'recommender', secret: async () => 's3cret:/', now: () => now });
    expect(endpoint.requests).toHaveLength(0);
    expect(await Promise.all([token(), token(), token()])).toEqual(['token-1', 'token-1', 'token-1']);
    expect(endpoint.requests).toEqual([{ client: 'recommender', secret: 's3cret:/', grant: 'client_credentials' }]);

    now += 479_000; // 79.8% of 600 s
    expect(await token()).toBe('token-1');
    expect(endpoint.requests).toHaveLength(1);
    now += 2_000; // past 80%: the old token answers at once, a new one is fetched behind it
    expect(await token()).toBe('token-1');
    await eventually(async () => ((await token()) === 'token-2' ? true : undefined), 'the renewed token');
    expect(endpoint.requests).toHaveLength(2);
  });

  it('waits for a new token once the old one has expired, and fetches it once for concurrent callers', async () => {
    let now = 0;
    const token = createClientCredentialsSource({ tokenUrl: endpoint.url, clientId: 'recommender', secret: async () => 's3cret:/', now: () => now });
    await token();
    now += 600_000;
    expect(await Promise.all([token(), token()])).toEqual(['token-2', 'token-2']);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('retries while auth answers 503, then gets the token', async () => {
    endpoint.answer = { fail: 503, failTimes: 2, expiresIn: 600 };
    const token = createClientCredentialsSource({ tokenUrl: endpoint.url, clientId: 'recommender', secret: async () => 's3cret:/', retryDelaysMs: [10, 10, 10] });
    expect(await token()).toBe('token-1');
    expect(endpoint.requests).toHaveLength(3);
  });

  it('says SERVICE_TOKEN_UNAVAILABLE when auth cannot be reached at all', async () => {
    await endpoint.close();
    const token = createClientCredentialsSource({ tokenUrl: endpoint.url, clientId: 'recommender', secret: async () => 's3cret:/', retryDelaysMs: [5, 5] });
    await expect(token()).rejects.toMatchObject({ name: 'ServiceTokenError', code: 'SERVICE_TOKEN_UNAVAILABLE', status: 503 });
    endpoint = await startTokenEndpoint('s3cret:/'); // for afterEach
  });

  it('says SERVICE_TOKEN_REJECTED for a wrong secret, without retrying, and naming the keys to check', async () => {
    const token = createClientCredentialsSource({ tokenUrl: endpoint.url, clientId: 'recommender', secret: async () => 'wrong', retryDelaysMs: [5, 5] });
    const failure = token();
    await expect(failure).rejects.toMatchObject({ code: 'SERVICE_TOKEN_REJECTED' });
    await expect(failure).rejects.toThrow(/recommender \(invalid_client\): check SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET/);
    await expect(token()).rejects.toMatchObject({ code: 'SERVICE_TOKEN_REJECTED' }); // from the cooldown
    expect(endpoint.requests).toHaveLength(1);
  });

  it('from the config: needs AUTH_TOKEN_URL and a secret only when used, re-reads the secret file, client id defaults to the service', async () => {
    const unset = serviceTokenSourceFromConfig({}, 'recommender');
    await expect(unset()).rejects.toMatchObject({ code: 'SERVICE_TOKEN_NOT_CONFIGURED', message: expect.stringMatching(/AUTH_TOKEN_URL and SERVICE_CLIENT_SECRET_FILE or SERVICE_CLIENT_SECRET/) });
    const dir = mkdtempSync(join(tmpdir(), 'oo-secret-'));
    try {
      writeFileSync(join(dir, 'secret'), 's3cret:/\n');
      const token = serviceTokenSourceFromConfig({ AUTH_TOKEN_URL: endpoint.url, SERVICE_CLIENT_SECRET_FILE: join(dir, 'secret') }, 'recommender');
      expect(await token()).toBe('token-1');
      expect(endpoint.requests[0]).toMatchObject({ client: 'recommender', secret: 's3cret:/' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
