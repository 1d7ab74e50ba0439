import { createGatewayRefresh } from './gateway-refresh';

const jwt = (payload: object): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe("the gateway's refresh", () => {
  it('posts the refresh token and client id as JSON and reads the user from the new token', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const fetchFn = (async (url: string | URL, init?: RequestInit) => {
      seen.push({ url: String(url), init });
      return Response.json({ access_token: jwt({ sub: 'b3c1-uuid' }), refresh_token: 'rt-2', expires_in: 600, token_type: 'Bearer' });
    }) as typeof fetch;
    const refresh = createGatewayRefresh({ gatewayUrl: 'http://gw.test:8080', clientId: 'oo-dev-tools', fetch: fetchFn, now: () => 1_000 });
    expect(await refresh('rt-1')).toEqual({ userId: 'b3c1-uuid', accessToken: jwt({ sub: 'b3c1-uuid' }), refreshToken: 'rt-2', expiresAt: new Date(601_000) });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('http://gw.test:8080/v1/auth/refresh');
    expect(seen[0]?.init?.method).toBe('POST');
    expect(new Headers(seen[0]?.init?.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({ refresh_token: 'rt-1', client_id: 'oo-dev-tools' });
  });

  it("fails with the gateway's detail, or when the answer is not tokens", async () => {
    const answering = (status: number, body: unknown) => createGatewayRefresh({ gatewayUrl: 'http://gw.test', clientId: 'c', fetch: (async () => Response.json(body, { status })) as typeof fetch });
    await expect(answering(400, { title: 'invalid_grant', detail: 'the refresh token was used already' })('rt')).rejects.toThrow('POST /v1/auth/refresh answered 400: the refresh token was used already');
    await expect(answering(200, { access_token: 'x' })('rt')).rejects.toThrow(/answered 200/);
    await expect(answering(200, { access_token: 'not-a-jwt', refresh_token: 'r', expires_in: 600 })('rt')).rejects.toThrow('not a JWT with a subject');
  });
});
