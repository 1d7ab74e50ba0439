import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { subjects, TaskUpsertedSchema } from '@oo/contracts';
import { connectJetStreamBus, createEventCodec, type JetStreamBus } from '@oo/events';
import { testDatabaseUrl, testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { launchSystem, type RunningSystem, type SystemOptions } from '../system/launch-system';

/** Publishes task events the way the integrations service's outbox relay will. */
export interface TaskFeed {
  upsert(task: MessageInitShape<typeof TaskUpsertedSchema>): Promise<void>;
  readonly bus: JetStreamBus;
  close(): Promise<void>;
}

const integrationsEvents = createEventCodec(subjects, { source: 'integrations' });

export async function connectTaskFeed(natsUrl: string, prefix: string): Promise<TaskFeed> {
  const bus = await connectJetStreamBus({ servers: natsUrl, name: 'e2e-task-feed', prefix });
  return {
    bus,
    upsert: async (task) => {
      const message = create(TaskUpsertedSchema, { updatedAt: timestampFromDate(new Date()), ...task });
      await bus.publish(integrationsEvents.encode('signals.task.upserted', message, { userId: message.userId }));
    },
    close: () => bus.drain(),
  };
}

/** A JSON request with a bearer token; the body is parsed when there is one. */
export async function call(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** How long the end-to-end checks wait for asynchronous effects (events crossing services). */
export const SERVICE_WAIT_MS = 15_000;

/**
 * Every service as its own process on the machine's Postgres and JetStream, isolated by a
 * schema and stream prefix of its own (dropped again at `stop()`), on free ports.
 *
 * @example
 * const system = await launchTestSystem('e2e', { REWARD_WINDOW_MS: '3000' });
 */
export function launchTestSystem(label: string, env: Record<string, string> = {}, options: Pick<SystemOptions, 'inProcess' | 'serviceEnv'> = {}): Promise<RunningSystem & { prefix: string }> {
  const prefix = uniqueStreamPrefix(label);
  return launchSystem({
    databaseUrl: testDatabaseUrl(),
    natsUrl: testNatsUrl(),
    streamPrefix: prefix,
    schemaPrefix: prefix,
    ports: 'free',
    streamMaxBytes: '64MiB',
    env: { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn', ...env },
    ...options,
  }).then((system) => Object.assign(system, { prefix }));
}
