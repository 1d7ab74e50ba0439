import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { connectJetStreamBus, loadNatsDefinitions, provision } from '@oo/events';
import { findNatsDefinitions } from '@oo/service';
import { createTestSchema, deleteStreamsWithPrefix, eventually, freePort, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';

const ROOT = resolve(__dirname, '../../../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** A real upstream service (its own `main.ts`) in a process of its own, over a fresh schema and stream prefix. */
export interface UpstreamProcess {
  url: string;
  /** The last lines it wrote, for a failure message. */
  tail(): string;
  stop(): Promise<void>;
}

export interface UpstreamProcessOptions {
  /** The folder under apps/, e.g. `profile`. */
  service: string;
  label: string;
  env: Record<string, string>;
}

// Services never import each other, not even in tests: the gateway's tests run the upstreams the
// way deployment does, as their own processes (migrate, provision, main.ts).
/** @example const profile = await startUpstreamProcess({ service: 'profile', label: 'gw', env: { AUTH_ISSUER, AUTH_JWKS } }); */
export async function startUpstreamProcess(options: UpstreamProcessOptions): Promise<UpstreamProcess> {
  const schema = await createTestSchema(`${options.label}-${options.service}`);
  const prefix = uniqueStreamPrefix(`${options.label}-${options.service}`);
  const bus = await connectJetStreamBus({ servers: testNatsUrl(), name: `${options.service}-gateway-test`, prefix });
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: schema.url,
    DB_SCHEMA: schema.schema,
    NATS_URL: testNatsUrl(),
    STREAM_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ...options.env,
  };
  const lines: string[] = [];
  let child: ChildProcess | undefined;
  const cleanUp = async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      signal(child, 'SIGTERM');
      const timer = setTimeout(() => child && signal(child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await deleteStreamsWithPrefix(bus.jsm, prefix);
    await bus.drain();
    await schema.drop();
  };
  try {
    const migrate = spawnSync(TSX, [`apps/${options.service}/src/db/migrate.ts`], { cwd: ROOT, env, encoding: 'utf8' });
    if (migrate.status !== 0) throw new Error(`migrating ${options.service} failed: ${migrate.stdout}${migrate.stderr}`);
    await bus.whenConnected();
    const all = await loadNatsDefinitions(findNatsDefinitions(process.env));
    await provision(
      bus.jsm,
      {
        streams: all.streams.map((s) => ({ ...s, maxBytes: Math.min(s.maxBytes, 16 * 1024 * 1024) })),
        consumers: all.consumers.filter((c) => c.durable.startsWith(`${options.service}__`)),
      },
      { prefix },
    );
    child = spawn(TSX, [`apps/${options.service}/src/main.ts`], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).slice(-40));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      if (child?.exitCode !== null) throw new Error(`${options.service} exited: ${lines.slice(-20).join('\n')}`);
      return (await fetch(`${url}/readyz`).catch(() => undefined))?.ok ? true : undefined;
    }, `${options.service} ready`, 30_000, 100);
    return { url, tail: () => lines.slice(-40).join('\n'), stop: cleanUp };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, name);
  } catch {
    // Already gone.
  }
}
