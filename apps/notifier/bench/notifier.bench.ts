// The notifier under load, on the service harness (real Postgres and JetStream), sending to the
// local push service and SMTP stand-ins, which run in a child process so that decrypting and
// parsing what arrives does not queue on the notifier's event loop. For a burst of notify.requested
// published as fast as JetStream takes them: deliveries per second (from the first publish to the
// last delivery settled) and the delay from each request's requested_at to its delivered_at (the
// push service or mail server accepting it), p50 / p95 / p99 / max, all and by channel, with the
// CPU each process used; then the same delays at a fixed rate.
// `npx tsx apps/notifier/bench/notifier.bench.ts [--users 200] [--requests 2000] [--email-share 0.25]
//   [--rate 100] [--seconds 10] [--in-flight 64]`; `--rate 0` skips the paced part. Part of `npm run bench`.
// DISPATCH_*, CONSUMER_CONCURRENCY and DB_*POOL_MAX in the environment reach the notifier, to compare settings.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import webpush from 'web-push';
import { ConsentChangedSchema, NotifyRequestedSchema, PreferencesUpdatedSchema, UserCreatedSchema } from '@oo/contracts';
import { startPushService, startSmtpServer, type StandInSubscription } from '@oo/provider-servers';
import { startServiceHarness } from '@oo/service-testing';
import { eventually } from '@oo/testing';
import { notifierService } from '../src/service';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    requests: { type: 'string', default: '2000' },
    'email-share': { type: 'string', default: '0.25' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    'in-flight': { type: 'string', default: '64' },
  },
});

const STAND_INS_ENV = 'NOTIFIER_BENCH_STAND_INS';
const WARMUP_REQUESTS = 100; // settled and discarded: lets the JIT, the pools and the SMTP pool settle
type ToStandIns = { kind: 'start'; subscriptions: number } | { kind: 'count' };
type FromStandIns = { kind: 'ready'; smtpUrl: string; subscriptions: StandInSubscription[] } | { kind: 'counted'; pushed: number; mailed: number };
type Settled = { status: string; channel: string | null; reason: string | null; requested_at: Date; delivered_at: Date | null; updated_at: Date };

/** The child's side: both stand-ins, a subscription per push user, and what they received when asked. */
function runStandIns(): void {
  process.on('disconnect', () => process.exit(0));
  let counts = () => ({ pushed: 0, mailed: 0 });
  process.on('message', (message: ToStandIns) => {
    if (message.kind === 'count') return void process.send?.({ kind: 'counted', ...counts() } satisfies FromStandIns);
    void Promise.all([startPushService(), startSmtpServer()]).then(([push, smtp]) => {
      counts = () => ({ pushed: push.messages().length, mailed: smtp.requests.accepted });
      const subscriptions = Array.from({ length: message.subscriptions }, () => push.createSubscription());
      process.send?.({ kind: 'ready', smtpUrl: smtp.url, subscriptions } satisfies FromStandIns);
    });
  });
}

function startStandIns(subscriptions: number) {
  const child = fork(__filename, [], { execArgv: process.execArgv, env: { ...process.env, [STAND_INS_ENV]: '1' } });
  const ask = <K extends FromStandIns['kind']>(message: ToStandIns, kind: K) =>
    new Promise<Extract<FromStandIns, { kind: K }>>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the stand-ins exited with code ${code}`)));
      child.on('message', (reply: FromStandIns) => reply.kind === kind && resolve(reply as Extract<FromStandIns, { kind: K }>));
      child.send(message);
    });
  return { pid: child.pid ?? 0, ready: ask({ kind: 'start', subscriptions }, 'ready'), count: () => ask({ kind: 'count' }, 'counted'), stop: () => child.disconnect() };
}

/** Runs `run` for 0 … n-1 with at most `width` at once. */
async function pool(n: number, width: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) await run(i);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, lane));
}

/** CPU ms used so far by the processes `match` picks, from Linux /proc (utime + stime, in 100 Hz ticks); 0 elsewhere. */
function cpuMsOf(match: (pid: number, name: string) => boolean): number {
  let ms = 0;
  for (const pid of existsSync('/proc') ? readdirSync('/proc').filter((e) => /^\d+$/.test(e)) : []) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      if (match(Number(pid), stat.slice(stat.indexOf('(') + 1, close))) ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // the process ended meanwhile
    }
  }
  return ms;
}

const quantile = (ascending: number[], q: number) => ascending[Math.max(0, Math.ceil(q * ascending.length) - 1)] ?? Number.NaN;

function report(label: string, rows: Settled[], firstPublishMs: number): void {
  const seconds = (Math.max(...rows.map((r) => r.updated_at.getTime())) - firstPublishMs) / 1000;
  const outcomes = new Map<string, number>();
  for (const key of rows.map((r) => (r.reason ? `${r.status} (${r.reason})` : r.status))) outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  const delivered = rows.filter((r) => r.delivered_at);
  const summary = [...outcomes].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  console.log(`  ${label}: ${rows.length} settled ${seconds.toFixed(2)} s after the first publish: ${(delivered.length / seconds).toFixed(0)} delivered/s (${summary})`);
  for (const channel of ['all', 'push', 'email']) {
    const delays = delivered.filter((r) => channel === 'all' || r.channel === channel).map((r) => (r.delivered_at as Date).getTime() - r.requested_at.getTime());
    if (delays.length === 0) continue;
    delays.sort((a, b) => a - b);
    const cells = [0.5, 0.95, 0.99, 1].map((q) => quantile(delays, q).toFixed(0).padStart(6)).join(' ');
    console.log(`  ${label} requested_at → delivered_at, ${channel.padEnd(5)} n=${String(delays.length).padStart(5)}  p50/p95/p99/max ${cells} ms`);
  }
}

async function main(): Promise<void> {
  const [users, requests, inFlight, share, rate] = [args.users, args.requests, args['in-flight'], args['email-share'], args.rate].map(Number) as [number, number, number, number, number];
  // Spread evenly (user i is an e-mail user when i·share crosses a whole number): every stretch of requests has the same mix.
  const isEmail = (i: number) => Math.floor((i + 1) * share) > Math.floor(i * share);
  const emailUsers = Math.floor(users * share);
  const standIns = startStandIns(users - emailUsers);
  const { smtpUrl, subscriptions } = await standIns.ready;
  const vapid = webpush.generateVAPIDKeys();
  const tuning = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(DISPATCH_[A-Z_]+|CONSUMER_CONCURRENCY|DB_(CONSUMER_)?POOL_MAX)$/.test(k))) as Record<string, string>;
  const h = await startServiceHarness(notifierService, {
    label: 'notifier-bench',
    env: {
      NOTIFIER_LINK_SECRET: randomBytes(32).toString('base64url'),
      PUBLIC_URL: 'https://oo.test',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      PUSH_ALLOW_INSECURE_ENDPOINTS: 'true',
      SMTP_URL: smtpUrl,
      // The rolling cap (max 100) is not what is measured: at the default of 3 it would drop most requests.
      FATIGUE_CAP: '100',
      ...tuning,
    },
  });
  const ids = Array.from({ length: users }, (_, i) => `bench-user-${i}`);
  let sequence = 0;
  const request = (phase: string, i: number) => {
    const userId = ids[i % users] as string;
    const decisionId = `${phase}-${sequence++}`;
    const now = Date.now();
    const message = create(NotifyRequestedSchema, {
      decisionId, userId, channels: ['push', 'email'], tipId: `bench:${decisionId}`, title: 'Renew the passport', body: 'It expires in three weeks.',
      notAfter: timestampFromDate(new Date(now + 3_600_000)), requestedAt: timestampFromDate(new Date(now)),
    });
    return h.publish('notify.requested', message, userId, { source: 'recommender' });
  };
  const settled = async (phase: string, expected: number): Promise<Settled[]> => {
    const ofPhase = () => h.db.selectFrom('deliveries').where('decision_id', 'like', `${phase}-%`);
    const count = () => ofPhase().where('status', 'not in', ['pending', 'deferred']).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    await eventually(async () => (Number((await count()).n) >= expected ? true : undefined), `${expected} ${phase} deliveries to settle`, 600_000, 100);
    return ofPhase().select(['status', 'channel', 'reason', 'requested_at', 'delivered_at', 'updated_at']).execute();
  };
  const others = () => ({ postgres: cpuMsOf((_, name) => name === 'postgres'), nats: cpuMsOf((_, name) => name === 'nats-server'), 'stand-ins': cpuMsOf((pid) => pid === standIns.pid) });
  const measureCpu = () => {
    const [mine, before, startedMs] = [process.cpuUsage(), others(), Date.now()];
    return () => {
      const [used, after, ms] = [process.cpuUsage(mine), others(), Date.now() - startedMs];
      const spent = { notifier: (used.user + used.system) / 1000, ...Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof typeof before]])) };
      const cores = Object.entries(spent).map(([group, cpuMs]) => `${group} ${(cpuMs / ms).toFixed(2)}`);
      console.log(`  CPU in cores (of ${availableParallelism()}): ${cores.join(', ')} (notifier: this process, with the publisher)`);
    };
  };
  try {
    const { config } = h.ctx;
    console.log(`notifier: DISPATCH_TICK_MS=${config.DISPATCH_TICK_MS} DISPATCH_BATCH=${config.DISPATCH_BATCH} CONSUMER_CONCURRENCY=${config.CONSUMER_CONCURRENCY} DB_POOL_MAX=${config.DB_POOL_MAX}`);
    console.log(`seeding ${users} users (${users - emailUsers} push, ${emailUsers} e-mail) …`);
    const at = timestampFromDate(new Date());
    await pool(users, inFlight, async (i) => {
      const [userId, email] = [ids[i] as string, isEmail(i)];
      if (email) await h.publish('users.created', create(UserCreatedSchema, { userId, email: `${userId}@bench.test`, displayName: userId, createdAt: at }), userId, { source: 'auth' });
      await h.publish('profile.preferences.updated', create(PreferencesUpdatedSchema, { userId, timezone: 'UTC', channels: ['in_app', email ? 'email' : 'push'], tipCadence: 'normal', updatedAt: at }), userId, { source: 'profile' });
      const purpose = email ? 'email_notifications' : 'push_notifications';
      await h.publish('profile.consent.changed', create(ConsentChangedSchema, { userId, purpose, version: '1', textHash: 'a'.repeat(64), granted: true, changedAt: at }), userId, { source: 'profile' });
      if (email) return;
      const res = await h.call('PUT', '/v1/notifier/push-subscriptions', userId, subscriptions[i - Math.floor(i * share)]);
      if (res.status !== 201) throw new Error(`subscribing ${userId} answered ${res.status}`);
    });
    const projected = async () => (await h.handled('notifier__preferences_updated')) >= users && (await h.handled('notifier__consent_changed')) >= users && (await h.handled('notifier__user_created')) >= emailUsers;
    await eventually(async () => ((await projected()) ? true : undefined), 'the projections', 60_000, 50);
    await pool(WARMUP_REQUESTS, inFlight, (i) => request('warmup', i));
    await settled('warmup', WARMUP_REQUESTS);

    console.log(`burst: ${requests} notify.requested over ${users} users, ${inFlight} publishes in flight`);
    const burstStart = Date.now();
    const burstCpu = measureCpu();
    await pool(requests, inFlight, (i) => request('burst', i));
    console.log(`  published in ${((Date.now() - burstStart) / 1000).toFixed(2)} s`);
    const burst = await settled('burst', requests);
    burstCpu();
    report('burst', burst, burstStart);

    if (rate > 0) {
      const total = Math.round(rate * Number(args.seconds));
      console.log(`paced: ${total} notify.requested at ${rate}/s`);
      const [began, pacedStart, pacedCpu] = [performance.now(), Date.now(), measureCpu()];
      const sends: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const wait = began + (i * 1000) / rate - performance.now();
        if (wait > 1) await sleep(wait);
        sends.push(request('paced', i));
      }
      await Promise.all(sends);
      console.log(`  published at ${((total / (performance.now() - began)) * 1000).toFixed(0)}/s`);
      const paced = await settled('paced', total);
      pacedCpu();
      report('paced', paced, pacedStart);
    }
    const received = await standIns.count();
    console.log(`the stand-ins received ${received.pushed} pushes and ${received.mailed} mails in all (warm-up included)`);
  } finally {
    await h.stop();
    standIns.stop();
  }
}

if (process.env[STAND_INS_ENV]) runStandIns();
else
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('notifier bench failed:', err);
      process.exit(1);
    },
  );
