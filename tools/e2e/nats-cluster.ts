// A real 3-node NATS JetStream cluster from the machine's nats-server, on free local ports, for
// tests that kill and restart a node. Each node keeps its store in a folder of its own, so a
// restarted node comes back with what it had and catches up from the others.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from '@oo/testing';

const NATS_SERVER = '/usr/sbin/nats-server';

interface Node {
  name: string;
  clientPort: number;
  clusterPort: number;
  config: string;
  process?: ChildProcess;
}

export interface NatsCluster {
  /** Every node's client URL, comma-separated, as NATS_URL takes them. */
  readonly url: string;
  readonly nodes: readonly string[];
  /** SIGKILL: the node stops at once, as on a crash. */
  kill(name: string): void;
  start(name: string): Promise<void>;
  stop(): Promise<void>;
}

async function answers(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const nc = await connect({ servers: url, timeout: 1_000, reconnect: false });
      try {
        await (await jetstreamManager(nc)).getAccountInfo();
        return;
      } finally {
        await nc.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`NATS at ${url} has no JetStream after ${timeoutMs} ms: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Starts the cluster and resolves once JetStream answers on every node (a meta leader exists). */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'oo-nats-cluster-'));
  const nodes: Node[] = [];
  for (let i = 1; i <= size; i++) nodes.push({ name: `n${i}`, clientPort: await freePort(), clusterPort: await freePort(), config: join(dir, `n${i}.conf`) });
  const routes = nodes.map((n) => `nats-route://127.0.0.1:${n.clusterPort}`).join(', ');
  for (const n of nodes) {
    mkdirSync(join(dir, n.name));
    writeFileSync(
      n.config,
      [`server_name: ${n.name}`, `listen: 127.0.0.1:${n.clientPort}`, `jetstream { store_dir: "${join(dir, n.name)}", max_file_store: 1GB, max_memory_store: 64MB }`, `cluster { name: oo-test, listen: 127.0.0.1:${n.clusterPort}, routes: [${routes}] }`].join('\n'),
    );
  }
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const urlOf = (n: Node) => `nats://127.0.0.1:${n.clientPort}`;
  const launch = (n: Node) => {
    n.process = spawn(NATS_SERVER, ['-c', n.config], { stdio: 'ignore' });
  };
  nodes.forEach(launch);
  const exitAll = () => nodes.forEach((n) => n.process?.kill('SIGKILL'));
  process.once('exit', exitAll);
  await Promise.all(nodes.map((n) => answers(urlOf(n), 30_000)));
  return {
    url: nodes.map(urlOf).join(','),
    nodes: nodes.map((n) => n.name),
    kill(name) {
      byName.get(name)?.process?.kill('SIGKILL');
    },
    async start(name) {
      const n = byName.get(name);
      if (!n) throw new Error(`no node ${name}`);
      launch(n);
      await answers(urlOf(n), 30_000);
    },
    async stop() {
      process.off('exit', exitAll);
      await Promise.all(
        nodes.map(
          (n) =>
            new Promise<void>((resolve) => {
              if (!n.process || n.process.exitCode !== null || n.process.signalCode !== null) return resolve();
              n.process.once('exit', () => resolve());
              n.process.kill('SIGTERM');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
