// The decision hot path under load: POST /v1/tips through the gateway (or, with --via recommender,
// POST /v1/recommend straight at the recommender) at a fixed rate against the real services (each
// its own process), with 20 candidates per user, and CPU per decision across every process
// involved (services, Postgres, NATS). Also the sign-in round trip (local identity provider,
// native-app flow through the gateway). `npx tsx tools/bench/decision.bench.ts [--rate 200]
// [--seconds 20] [--users 200] [--via gateway|recommender] [--profile <dir>] [--reference no]`; part of `npm run bench`.
import { parseArgs } from 'node:util';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { eventually, testDatabaseUrl, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { call, connectTaskFeed } from '../e2e/e2e-support';
import { launchSystem } from '../system/launch-system';
import { describePostgresActivity, readPostgresActivity } from './postgres-activity';
import { cpuByGroup, rssByGroup } from './process-cpu';
import { runReference } from './reference-run';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    users: { type: 'string', default: '200' },
    via: { type: 'string', default: 'gateway' },
    // A folder for each service's V8 CPU profile (summarise with cpu-profile-summary.ts); CPU figures then include the profiler.
    profile: { type: 'string' },
    // `no` skips the same-run reference (e.g. a long run that only watches memory).
    reference: { type: 'string', default: 'yes' },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const USERS = Number(args.users);
const VIA = args.via === 'recommender' ? 'recommender' : 'gateway';
const TASKS_PER_USER = 17; // plus the advice that applies at the moment: about 20 candidates

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// Each second's p99, and the seconds whose p99 is over three times the median second's: periodic
// stalls (a timer, a sweep, a checkpoint) show up as evenly spaced seconds.
function describeSeconds(bySecond: number[][]): string {
  const p99s = bySecond.map((values) => percentile([...values].sort((a, b) => a - b), 99));
  const sorted = [...p99s].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const slow = p99s.flatMap((p, second) => (p > 3 * median ? [`${second}s ${p.toFixed(0)}`] : []));
  return `  p99 per second: min ${sorted[0]?.toFixed(1)} ms, median ${median.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms; seconds over 3× the median: ${slow.length === 0 ? 'none' : slow.join(', ')}`;
}

async function main(): Promise<void> {
  let measured: { p50: number; p99: number; cpuMs: number } | undefined;
  const prefix = uniqueStreamPrefix('bench-decision');
  console.log(`starting the services (prefix ${prefix}) …`);
  const system = await launchSystem({
    databaseUrl: testDatabaseUrl(),
    natsUrl: testNatsUrl(),
    streamPrefix: prefix,
    schemaPrefix: prefix,
    ports: 'free',
    streamMaxBytes: '256MiB',
    // Every simulated client comes from 127.0.0.1: the per-IP limit would measure itself.
    env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_USER: '1000000', ...(args.profile ? { OO_CPU_PROF_DIR: args.profile } : {}) },
  });
  const feed = await connectTaskFeed(testNatsUrl(), prefix);
  try {
    // Each user signs in through the front door (local identity provider, native-app flow).
    const sessions = [];
    const signInMs: number[] = [];
    for (let i = 0; i < USERS; i++) {
      const began = performance.now();
      sessions.push(await system.signIn(`bench-user-${i}`));
      signInMs.push(performance.now() - began);
    }
    signInMs.sort((a, b) => a - b);
    console.log(`sign-in round trip (authorize → login page → callback → token), ${USERS} users: p50 ${percentile(signInMs, 50).toFixed(1)} ms, p99 ${percentile(signInMs, 99).toFixed(1)} ms`);
    const users = sessions.map((s) => s.userId);
    const tokens = sessions.map((s) => s.accessToken);
    const now = Date.now();
    for (const [u, user] of users.entries()) {
      for (let t = 0; t < TASKS_PER_USER; t++) {
        await feed.upsert({
          taskId: `${user}-task-${t}`,
          userId: user,
          source: ['todoist', 'google_tasks', 'caldav'][t % 3] as string,
          externalId: `ext-${u}-${t}`,
          title: `Task ${t} of ${user}`,
          priority: 1 + (t % 4),
          dueAt: t % 4 === 3 ? undefined : timestampFromDate(new Date(now + (t - 6) * 3_600_000 * 7)),
          createdAt: timestampFromDate(new Date(now - (t + 1) * 86_400_000)),
        });
      }
    }
    const target = VIA === 'recommender' ? `${system.url('recommender')}/v1/recommend` : `${system.url('gateway')}/v1/tips`;
    const recommend = (i: number) => call('POST', target, tokens[i % USERS] as string);
    await eventually(async () => ((await recommend(USERS - 1)).status === 200 ? true : undefined), 'the last user to have task tips', 60_000, 100);
    console.log(`seeded ${USERS} users × ${TASKS_PER_USER} tasks; warming up …`);
    for (let i = 0; i < 400; i++) await recommend(i);

    const pids = Object.fromEntries([...system.services].map(([name, s]) => [name, { pid: s.child.pid as number }]));
    const groups = { ...pids, postgres: { name: 'postgres' }, nats: { name: 'nats-server' } };
    const pgBefore = await readPostgresActivity(testDatabaseUrl(), prefix);
    const cpuBefore = cpuByGroup(groups);
    const rssBefore = rssByGroup(pids);
    const latencies: number[] = [];
    // Latency by the second it was due in: a stall shows as a second whose p99 stands out.
    const bySecond: number[][] = [];
    const statuses = new Map<number, number>();
    const total = RATE * SECONDS;
    const started = performance.now();
    // Memory over the run, ten samples: growth under steady load is what a leak looks like.
    const rssSamples: { at: number; rss: Record<string, number> }[] = [];
    const sampleEveryMs = Math.max(1_000, (SECONDS * 1_000) / 10);
    const sampler = setInterval(() => rssSamples.push({ at: Math.round((performance.now() - started) / 1_000), rss: rssByGroup(pids) }), sampleEveryMs);
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      // Open loop: request i is due at i / RATE; latency counts from when it was due.
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(
        recommend(i).then(
          (res) => {
            const latency = performance.now() - due;
            latencies.push(latency);
            (bySecond[Math.floor((due - started) / 1_000)] ??= []).push(latency);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          },
          () => {
            latencies.push(performance.now() - due);
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          },
        ),
      );
    }
    await Promise.all(inFlight);
    clearInterval(sampler);
    const elapsed = (performance.now() - started) / 1000;
    const cpuAfter = cpuByGroup(groups);
    // The counters lag by up to a second: give the last transactions time to report.
    await new Promise((r) => setTimeout(r, 1_500));
    const pgAfter = await readPostgresActivity(testDatabaseUrl(), prefix);
    latencies.sort((a, b) => a - b);

    console.log(`\n${VIA === 'gateway' ? 'POST /v1/tips through the gateway' : 'POST /v1/recommend at the recommender'}, ${total} requests at ${RATE}/s (achieved ${(total / elapsed).toFixed(0)}/s), ${USERS} users, ~20 candidates each`);
    console.log(`  latency  p50 ${percentile(latencies, 50).toFixed(2)} ms   p90 ${percentile(latencies, 90).toFixed(2)} ms   p99 ${percentile(latencies, 99).toFixed(2)} ms   max ${latencies.at(-1)?.toFixed(2)} ms`);
    console.log(describeSeconds(bySecond));
    // Status 0: the request failed without an answer (connection refused or timed out).
    console.log(`  statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`);
    let cpuTotal = 0;
    const parts: string[] = [];
    for (const name of Object.keys(groups)) {
      const used = (cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0);
      cpuTotal += used;
      parts.push(`${name} ${(used / total).toFixed(3)}`);
    }
    console.log(`  CPU per decision ${(cpuTotal / total).toFixed(3)} ms (${parts.join(', ')}; ms, 10 ms tick resolution over the run)`);
    console.log(describePostgresActivity(pgBefore, pgAfter, total));
    const rssAfter = rssByGroup(pids);
    const rss = Object.keys(pids).map((name) => `${name} ${(rssBefore[name] ?? 0).toFixed(0)} → ${(rssAfter[name] ?? 0).toFixed(0)}`);
    console.log(`  memory (RSS MiB, service with its tsx parent, before → after the load) ${rss.join(', ')}`);
    const overTime = Object.keys(pids).map((name) => `${name} ${rssSamples.map((sample) => (sample.rss[name] ?? 0).toFixed(0)).join(' ')}`);
    console.log(`  memory during the load (RSS MiB at ${rssSamples.map((sample) => `${sample.at}s`).join(' ')}): ${overTime.join('; ')}`);
    measured = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuMs: cpuTotal / total };
  } finally {
    await feed.close();
    await system.stop();
  }
  if (args.reference === 'no') return;
  // Same run, after oO has let go of the machine: the targets are ratios to these figures.
  console.log(`\nreference (../shared/bench/reference) at ${RATE}/s for ${SECONDS} s:`);
  const reference = runReference(RATE, SECONDS);
  if (reference && measured) {
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log(`  achieved ${reference.achieved}/s   p50 ${reference.p50} ms   p99 ${reference.p99} ms   CPU per request ${reference.cpuMs} ms`);
    console.log(`  oO / reference: CPU ${ratio(measured.cpuMs, reference.cpuMs)} (target ≤ 1.5×)   p50 ${ratio(measured.p50, reference.p50)}   p99 ${ratio(measured.p99, reference.p99)} (targets ≤ 2×)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
