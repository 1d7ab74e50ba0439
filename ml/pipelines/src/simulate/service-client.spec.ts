import { createServiceClient, ServiceCallError } from './service-client';

type Call = { method: string; url: string; authorization: string | null; body: unknown };

function fakeFetch(answer: (call: Call) => Response): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const call = {
      method: init?.method ?? 'GET',
      url: String(input),
      authorization: new Headers(init?.headers).get('authorization'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    return answer(call);
  }) as typeof fetch;
  return { fetch: fetchFn, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const urls = { recommender: 'http://rec', profile: 'http://prof' };

describe('the service client', () => {
  it('reads the advice library, with weekdays as names (mon) or numbers, both as 0 Sunday … 6 Saturday', async () => {
    const { fetch } = fakeFetch(() =>
      json(200, {
        version: 'advice-v1',
        items: [
          { id: 'a', kind: 'plan', title: 'A', body: 'b', tags: [], appliesWhen: { hours: [6, 11], weekdays: ['sun', 'mon', 'sat'] } },
          { id: 'b', kind: 'break', title: 'B', body: 'b', tags: [], appliesWhen: { weekdays: [2] } },
          { id: 'c', kind: 'focus', title: 'C', body: 'b', tags: [], appliesWhen: {} },
        ],
      }),
    );
    const items = await createServiceClient(urls, fetch).getAdvice('t');
    expect(items.map((i) => i.appliesWhen)).toEqual([{ hours: [6, 11], weekdays: [0, 1, 6] }, { weekdays: [2] }, {}]);
  });

  it("asks for a tip with the user's token and reads a 204 as no tip", async () => {
    const body = { decisionId: '0193a4f2-6c1e-7d40-9b1a-3f2e8c5d7a10', tip: { id: 'task:t1', kind: 'task', title: 'T', body: '', taskId: 't1' }, policy: 'linucb', modelVersion: 'fl-1/3', propensity: 0.4 };
    let status = 200;
    const { fetch, calls } = fakeFetch(() => (status === 204 ? new Response(null, { status }) : json(status, body)));
    const client = createServiceClient(urls, fetch);
    expect(await client.recommend('tok')).toEqual(body);
    expect(calls[0]).toMatchObject({ method: 'POST', url: 'http://rec/v1/recommend', authorization: 'Bearer tok' });
    status = 204;
    expect(await client.recommend('tok')).toBeNull();
  });

  it('sends feedback as { reaction } only, and preferences as the profile schema wants them', async () => {
    const { fetch, calls } = fakeFetch(({ url }) => (url.includes('feedback') ? new Response('{}', { status: 202 }) : json(200, {})));
    const client = createServiceClient(urls, fetch);
    await client.sendFeedback('tok', 'd/1', 'snooze');
    await client.putPreferences('tok', 'sim-r-u1', 'Asia/Tokyo');
    expect(calls).toEqual([
      { method: 'POST', url: 'http://rec/v1/tips/d%2F1/feedback', authorization: 'Bearer tok', body: { reaction: 'snooze' } },
      { method: 'PUT', url: 'http://prof/v1/profiles/sim-r-u1/preferences', authorization: 'Bearer tok', body: { timezone: 'Asia/Tokyo', channels: ['in_app'], tipCadence: 'normal' } },
    ]);
  });

  it('stops with what the service said, or why it could not be reached', async () => {
    const problem = fakeFetch(() => json(401, { title: 'Unauthorized', detail: 'token expired' }));
    await expect(createServiceClient(urls, problem.fetch).recommend('t')).rejects.toThrow('POST http://rec/v1/recommend answered 401: {"title":"Unauthorized","detail":"token expired"}');
    const odd = fakeFetch(() => json(200, { decisionId: 'x' }));
    await expect(createServiceClient(urls, odd.fetch).recommend('t')).rejects.toThrow(/POST \/v1\/recommend: unexpected body \(tip: /);
    const down = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    }) as typeof fetch;
    const error = await createServiceClient(urls, down).getAdvice('t').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceCallError);
    expect((error as Error).message).toBe('GET http://rec/v1/advice failed: ECONNREFUSED (is the service running?)');
  });
});
