import { freePort, startPrivateNatsServer, type PrivateNatsServer } from './private-nats-server';
import { probeJetStream } from './services';

/** A JetStream cluster of private nats-servers, each of which a test may kill and restart. */
export interface PrivateNatsCluster {
  /** Every node's client URL, comma-separated, as NATS_URL takes them. */
  readonly url: string;
  /** The nodes by name (`n1`, `n2`, …). */
  readonly nodes: ReadonlyMap<string, PrivateNatsServer>;
  stop(): Promise<void>;
}

async function jetStreamAnswers(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let failure = await probeJetStream(url); failure !== null; failure = await probeJetStream(url)) {
    if (Date.now() > deadline) throw new Error(`JetStream at ${url} did not answer in ${timeoutMs} ms: ${failure}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts `size` private nats-servers routed to each other as one JetStream cluster, and resolves
 * once JetStream answers on every node (the cluster has elected its meta leader). A node killed
 * and started again keeps its store and catches up from the others.
 *
 * @example
 * const cluster = await startPrivateNatsCluster(3);
 * await cluster.nodes.get('n1')?.kill(); await cluster.nodes.get('n1')?.start();
 */
export async function startPrivateNatsCluster(size = 3, clusterName = 'oo-test'): Promise<PrivateNatsCluster> {
  const clusterPorts: number[] = [];
  for (let i = 0; i < size; i++) clusterPorts.push(await freePort());
  const routes = clusterPorts.map((p) => `nats://127.0.0.1:${p}`);
  const nodes = new Map<string, PrivateNatsServer>();
  for (const [i, clusterPort] of clusterPorts.entries()) {
    nodes.set(`n${i + 1}`, await startPrivateNatsServer({ serverName: `n${i + 1}`, clusterName, clusterPort, routes }));
  }
  const stop = () => Promise.all([...nodes.values()].map((n) => n.stop())).then(() => undefined);
  try {
    await Promise.all([...nodes.values()].map((n) => jetStreamAnswers(n.url, 30_000)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: [...nodes.values()].map((n) => n.url).join(','), nodes, stop };
}

/** Waits until a restarted node of the cluster answers JetStream again. */
export function nodeAnswers(node: PrivateNatsServer, timeoutMs = 30_000): Promise<void> {
  return jetStreamAnswers(node.url, timeoutMs);
}
