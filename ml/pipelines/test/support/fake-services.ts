import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { jwtVerify, type CryptoKey, type KeyObject } from 'jose';
import { createRng } from '@oo/bandit';
import { TaskUpsertedSchema, type TaskUpserted } from '@oo/contracts';
import { localTime, timeOfDay } from '@oo/decision-features';
import type { RecommenderSync } from '../../src/simulate/recommender-sync';

/** The advice library the fake serves (`GET /v1/advice`). */
export const FAKE_ADVICE = [
  { id: 'stretch', kind: 'break', title: 'Stand up and stretch', body: '', tags: ['body'], appliesWhen: { hours: [9, 21] as [number, number] } },
  { id: 'plan-day', kind: 'plan', title: 'Pick three things for today', body: '', tags: [], appliesWhen: { hours: [5, 12] as [number, number] } },
  { id: 'deep-work', kind: 'focus', title: 'One task, 25 minutes', body: '', tags: [], appliesWhen: { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] } },
  { id: 'journal', kind: 'reflect', title: 'Write one line about today', body: '', tags: [], appliesWhen: { hours: [18, 2] as [number, number] } },
];

interface Decision {
  readonly userId: string;
  readonly key: string;
  readonly fallback: boolean;
}

export interface FakeOptions {
  readonly publicKey: CryptoKey | KeyObject;
  readonly issuer: string;
  readonly now: () => Date;
  /** The wall clock tokens are checked on (default the real one): an expired token gets 401. */
  readonly tokenClock?: () => number;
  /** Every n-th recommendation answers 204; every m-th is flagged as a fallback decision. */
  readonly noTipEvery?: number;
  readonly fallbackEvery?: number;
  /**
   * Set: the profile side hands saved preferences to this (to publish `profile.preferences.updated`)
   * and the recommender side learns timezones only through `applyTimezone`, as the real services do.
   * Unset: the recommender side reads the profile side's timezones directly.
   */
  readonly onPreferencesSaved?: (userId: string, timezone: string) => Promise<void>;
}

type Reply = { status: number; body?: unknown };

/**
 * The recommender and profile HTTP APIs as the simulation uses them, with a small ε-greedy
 * learner (mean reward per candidate kind × time of day) so that a run has something to learn.
 */
export function createFakeServices(options: FakeOptions) {
  const timezones = new Map<string, string>();
  const projected = options.onPreferencesSaved ? new Map<string, string>() : timezones;
  const preferences: { userId: string; subject: string; body: unknown }[] = [];
  const tasks = new Map<string, Map<string, TaskUpserted>>();
  const decisions = new Map<string, Decision>();
  const feedback: { decisionId: string; userId: string; reaction: string }[] = [];
  const learned = new Map<string, { n: number; sum: number }>();
  let calls = 0;
  let atFirstRecommend: { tasks: number; timezones: number } | undefined;
  const taskCount = (): number => [...tasks.values()].reduce((n, own) => n + own.size, 0);

  const applyTask = (task: TaskUpserted): void => {
    const own = tasks.get(task.userId) ?? new Map<string, TaskUpserted>();
    own.set(task.taskId, task);
    tasks.set(task.userId, own);
  };
  const applies = (a: (typeof FAKE_ADVICE)[number], hour: number, weekday: number): boolean => {
    const w = a.appliesWhen as { hours?: [number, number]; weekdays?: string[] };
    if (w.weekdays && !w.weekdays.includes(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][weekday] as string)) return false;
    if (!w.hours) return true;
    const [from, to] = w.hours;
    return from < to ? hour >= from && hour < to : hour >= from || hour < to;
  };
  const score = (key: string): number => {
    const s = learned.get(key);
    return s ? (s.sum + 0.3) / (s.n + 1) : 0.3;
  };

  const recommend = (userId: string): Reply => {
    calls++;
    atFirstRecommend ??= { tasks: taskCount(), timezones: projected.size };
    if (options.noTipEvery && calls % options.noTipEvery === 0) return { status: 204 };
    const now = options.now();
    const { localHour, localWeekday } = localTime(projected.get(userId) ?? 'UTC', now);
    const tod = timeOfDay(localHour);
    const candidates = [
      ...[...(tasks.get(userId)?.values() ?? [])].map((t) => {
        const overdue = t.dueAt !== undefined && timestampDate(t.dueAt) < now;
        return { id: `task:${t.taskId}`, kind: 'task', taskId: t.taskId, title: t.title, key: `task:${t.source}:${overdue}:${tod}` };
      }),
      ...FAKE_ADVICE.filter((a) => applies(a, localHour, localWeekday)).map((a) => ({ id: `advice:${a.id}`, kind: 'advice', taskId: undefined, title: a.title, key: `advice:${a.kind}:${tod}` })),
    ];
    if (candidates.length === 0) return { status: 204 };
    const decisionId = `fd-${calls}`;
    const rng = createRng(decisionId);
    const best = candidates.reduce((b, c) => (score(c.key) > score(b.key) ? c : b));
    const chosen = rng.float() < 0.2 ? (candidates[rng.int(candidates.length)] as typeof best) : best;
    const fallback = options.fallbackEvery !== undefined && calls % options.fallbackEvery === 0;
    decisions.set(decisionId, { userId, key: chosen.key, fallback });
    return {
      status: 200,
      body: { decisionId, tip: { id: chosen.id, kind: chosen.kind, title: chosen.title, body: '', taskId: chosen.taskId }, policy: fallback ? 'default' : 'egreedy', modelVersion: fallback ? '' : 'fake/1', propensity: 0.5, fallback },
    };
  };

  const handle = async (method: string, path: string, authorization: string | undefined, body: unknown): Promise<Reply> => {
    let subject: string;
    try {
      const { payload } = await jwtVerify((authorization ?? '').replace(/^Bearer /, ''), options.publicKey, {
        issuer: options.issuer,
        audience: 'oo',
        currentDate: options.tokenClock ? new Date(options.tokenClock()) : undefined,
      });
      subject = payload.sub ?? '';
    } catch {
      return { status: 401, body: { title: 'unauthorized' } };
    }
    const prefs = /^\/v1\/profiles\/([^/]+)\/preferences$/.exec(path);
    if (method === 'PUT' && prefs) {
      const userId = decodeURIComponent(prefs[1] as string);
      if (userId !== subject) return { status: 403 };
      const b = body as { timezone?: string; channels?: unknown; tipCadence?: string };
      if (typeof b.timezone !== 'string' || !Array.isArray(b.channels) || !['off', 'low', 'normal', 'high'].includes(b.tipCadence ?? '')) return { status: 400 };
      timezones.set(userId, b.timezone);
      preferences.push({ userId, subject, body });
      // Like profile's outbox relay: the event leaves after the answer, not before it.
      if (options.onPreferencesSaved) setTimeout(() => void options.onPreferencesSaved?.(userId, b.timezone as string), 50);
      return { status: 200, body: { userId, ...b } };
    }
    if (method === 'GET' && path === '/v1/advice') return { status: 200, body: { version: 'fake-1', items: FAKE_ADVICE } };
    if (method === 'POST' && path === '/v1/recommend') return recommend(subject);
    const tip = /^\/v1\/tips\/([^/]+)\/feedback$/.exec(path);
    if (method === 'POST' && tip) {
      const decisionId = decodeURIComponent(tip[1] as string);
      const decision = decisions.get(decisionId);
      if (!decision) return { status: 404 };
      if (decision.userId !== subject) return { status: 403 };
      const { reaction, ...rest } = body as { reaction: string };
      const reward = ({ done: 1, snooze: 0.25, dismiss: 0 } as Record<string, number>)[reaction];
      // The recommender's body is strict: { reaction } and nothing else.
      if (reward === undefined || Object.keys(rest).length > 0) return { status: 400 };
      feedback.push({ decisionId, userId: subject, reaction });
      const s = learned.get(decision.key) ?? { n: 0, sum: 0 };
      learned.set(decision.key, { n: s.n + 1, sum: s.sum + reward });
      return { status: 202 };
    }
    return { status: 404 };
  };

  const respond = (reply: Reply): Response =>
    new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });

  return {
    state: { timezones, projected, preferences, tasks, decisions, feedback, taskCount, atFirstRecommend: () => atFirstRecommend },
    applyTask,
    applyTimezone: (userId: string, timezone: string): void => void projected.set(userId, timezone),
    /** `fetch` answered in-process (unit tests). */
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
      return respond(await handle(init?.method ?? 'GET', new URL(String(input)).pathname, headers.get('authorization') ?? undefined, body));
    }) as typeof fetch,
    /** Hands tasks straight to the read model (unit tests). */
    sync: (): RecommenderSync => ({
      publishTasks: async (users, now) => {
        let n = 0;
        for (const u of users) {
          for (const t of u.tasks) {
            applyTask(create(TaskUpsertedSchema, { taskId: t.id, userId: u.id, source: t.source, title: t.title, priority: t.priority, dueAt: t.dueAt && timestampFromDate(t.dueAt), createdAt: timestampFromDate(t.createdAt), updatedAt: timestampFromDate(now) }));
            n++;
          }
        }
        return n;
      },
      waitForTasks: async () => 'applied',
      waitForPreferences: async () => 'applied',
      close: async () => undefined,
    }),
    /** Serves the same API over HTTP on 127.0.0.1 (integration tests). */
    listen: async (): Promise<{ url: string; close: () => Promise<void> }> => {
      const server = createServer((req, res) => {
        void readJson(req).then(async (body) => {
          const reply = await handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname, req.headers.authorization, body);
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}`, close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            // fetch keeps connections alive; without this close() would wait for them to time out.
            server.closeAllConnections();
          }),
      };
    },
  };
}

export type FakeServices = ReturnType<typeof createFakeServices>;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}
