import { resolve } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { loadNatsDefinitions, parseSizeBytes, provision } from '@oo/events';

export interface ProvisionCommandIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * Creates or updates the streams and durable consumers of deploy/nats on the server at NATS_URL,
 * under STREAM_PREFIX (empty in production). STREAM_MAX_BYTES (e.g. `256MiB`) caps every stream's
 * byte limit, for development and test servers: JetStream reserves each limit on the server's disk.
 * STREAM_REPLICAS (1–5) sets every stream's replica count, e.g. 3 on a 3-node cluster.
 * Returns the process exit code.
 *
 * @example
 * runProvisionCommand({ env: process.env, out: console.log, err: console.error }).then((code) => process.exit(code));
 */
export async function runProvisionCommand({ env, out, err }: ProvisionCommandIo): Promise<number> {
  // A cluster is named by several URLs, comma-separated, as the services take them.
  const servers = (env['NATS_URL'] || 'nats://127.0.0.1:4222').split(',').map((s) => s.trim());
  const prefix = env['STREAM_PREFIX'] ?? '';
  const dir = resolve(env['NATS_DEFINITIONS_DIR'] || 'deploy/nats');
  try {
    const deployed = await loadNatsDefinitions(dir);
    const cap = env['STREAM_MAX_BYTES'] ? parseSizeBytes(env['STREAM_MAX_BYTES']) : Infinity;
    const replicas = env['STREAM_REPLICAS'] ? Number(env['STREAM_REPLICAS']) : undefined;
    if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5)) throw new Error(`STREAM_REPLICAS must be a whole number from 1 to 5, not ${env['STREAM_REPLICAS']}`);
    const definitions = { ...deployed, streams: deployed.streams.map((s) => ({ ...s, maxBytes: Math.min(s.maxBytes, cap), ...(replicas ? { replicas } : {}) })) };
    const nc = await connect({ servers, name: 'provision', timeout: 5_000 });
    try {
      const steps = await provision(await jetstreamManager(nc), definitions, { prefix });
      for (const step of steps) out(`${step.kind} ${step.name}: ${step.action}`);
      out(`provisioned ${definitions.streams.length} streams and ${definitions.consumers.length} consumers on ${servers.join(',')}${prefix ? ` under prefix ${prefix}` : ''}`);
      return 0;
    } finally {
      await nc.close();
    }
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? ` (${e.cause.message})` : '';
    err(`provision failed: ${e instanceof Error ? e.message : String(e)}${cause}`);
    return 1;
  }
}
