// What the system costs doing nothing: every service as its own process (as `npm start` and the
// decision benchmark run it), left alone after start-up, with the CPU each process and Postgres
// and NATS use per second. Idle loops (pull heartbeats, relay polls, timers) are paid on every
// machine all the time, and the decision benchmark counts them per decision.
// `npx tsx tools/bench/idle.bench.ts [--settle 10] [--seconds 20] [--profile <dir>]`; part of `npm run bench`.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { testDatabaseUrl, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { launchSystem } from '../system/launch-system';
import { cpuByGroup } from './process-cpu';

const { values: args } = parseArgs({
  options: {
    settle: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '20' },
    // A folder for each service's V8 CPU profile (summarise with cpu-profile-summary.ts).
    profile: { type: 'string' },
  },
});
const SETTLE_S = Number(args.settle);
const SECONDS = Number(args.seconds);

async function main(): Promise<void> {
  const prefix = uniqueStreamPrefix('bench_idle');
  console.log(`starting the services (prefix ${prefix}) …`);
  const system = await launchSystem({ databaseUrl: testDatabaseUrl(), natsUrl: testNatsUrl(), streamPrefix: prefix, schemaPrefix: prefix, ports: 'free', streamMaxBytes: '64MiB', env: { LOG_LEVEL: 'warn', ...(args.profile ? { OO_CPU_PROF_DIR: args.profile } : {}) } });
  try {
    const groups: Record<string, { pid: number } | { name: string }> = Object.fromEntries([...system.services].map(([name, s]) => [name, { pid: s.child.pid as number }]));
    groups['postgres'] = { name: 'postgres' };
    groups['nats'] = { name: 'nats-server' };
    // Start-up work (migrations checked, replica load, first sync ticks) is not idling.
    await sleep(SETTLE_S * 1000);
    const before = cpuByGroup(groups);
    await sleep(SECONDS * 1000);
    const after = cpuByGroup(groups);
    const perSecond = Object.entries(after).map(([name, ms]): [string, number] => [name, (ms - (before[name] ?? 0)) / SECONDS]);
    const total = perSecond.reduce((sum, [, ms]) => sum + ms, 0);
    console.log(`idle CPU over ${SECONDS} s, ms per second (10 ms tick resolution): ${perSecond.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ')}`);
    console.log(`  all together ${total.toFixed(1)} ms/s = ${(total / 10).toFixed(1)} % of one core; at 80 decisions/s that is ${(total / 80).toFixed(2)} ms per decision`);
  } finally {
    await system.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
