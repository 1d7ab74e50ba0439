import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { EventsError } from './errors';
import { silentLogger, type EventsLogger } from './event-bus.types';
import type { ConsumerDefinition, NatsDefinitions, StreamDefinition } from './nats-definitions';
import { assertStreamPrefix, prefixStream, prefixSubject } from './stream-names';

export interface ProvisionOptions {
  /** Put in front of stream names and subjects; empty in production. */
  prefix?: string;
  log?: EventsLogger;
}

export interface ProvisionStep {
  kind: 'stream' | 'consumer';
  name: string;
  action: 'created' | 'updated' | 'unchanged';
}

type ManagedStream = Pick<
  StreamConfig,
  'description' | 'subjects' | 'max_age' | 'max_bytes' | 'max_msg_size' | 'duplicate_window' | 'num_replicas' | 'discard'
>;
type ManagedConsumer = Pick<ConsumerConfig, 'description' | 'ack_wait' | 'max_deliver' | 'max_ack_pending' | 'filter_subject'>;

function streamConfig(s: StreamDefinition, prefix: string): ManagedStream {
  return {
    description: s.description,
    subjects: s.subjects.map((subject) => prefixSubject(prefix, subject)),
    max_age: nanos(s.maxAge),
    max_bytes: s.maxBytes,
    max_msg_size: s.maxMsgSize,
    duplicate_window: nanos(s.duplicateWindow),
    num_replicas: s.replicas,
    discard: DiscardPolicy.Old,
  };
}

function consumerConfig(c: ConsumerDefinition, prefix: string): ManagedConsumer {
  return {
    description: c.description,
    filter_subject: prefixSubject(prefix, c.filterSubject),
    ack_wait: nanos(c.ackWait),
    max_deliver: c.maxDeliver,
    max_ack_pending: c.maxAckPending,
  };
}

// Compares only the fields we manage; the server fills in the rest with its defaults.
function differs<T extends object>(wanted: T, actual: Partial<T>): boolean {
  return Object.entries(wanted).some(([key, value]) => JSON.stringify(actual[key as keyof T]) !== JSON.stringify(value));
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamNotFound || err.code === JetStreamApiCodes.ConsumerNotFound)
  );
}

async function upsertStream(jsm: JetStreamManager, s: StreamDefinition, prefix: string): Promise<ProvisionStep> {
  const name = prefixStream(prefix, s.name);
  const wanted = streamConfig(s, prefix);
  const storage = s.storage === 'file' ? StorageType.File : StorageType.Memory;
  try {
    const info = await jsm.streams.info(name);
    if (info.config.storage !== storage) {
      throw new EventsError('EVENTS_PROVISION_FAILED', `stream ${name} uses ${info.config.storage} storage; it cannot change to ${s.storage}`);
    }
    if (!differs(wanted, info.config)) return { kind: 'stream', name, action: 'unchanged' };
    await jsm.streams.update(name, wanted);
    return { kind: 'stream', name, action: 'updated' };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.streams.add({ ...wanted, name, storage, retention: RetentionPolicy.Limits });
    return { kind: 'stream', name, action: 'created' };
  }
}

async function upsertConsumer(jsm: JetStreamManager, c: ConsumerDefinition, prefix: string): Promise<ProvisionStep> {
  const stream = prefixStream(prefix, c.stream);
  const wanted = consumerConfig(c, prefix);
  try {
    const info = await jsm.consumers.info(stream, c.durable);
    if (!differs(wanted, info.config)) return { kind: 'consumer', name: c.durable, action: 'unchanged' };
    await jsm.consumers.update(stream, c.durable, wanted);
    return { kind: 'consumer', name: c.durable, action: 'updated' };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(stream, {
      ...wanted,
      durable_name: c.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
    });
    return { kind: 'consumer', name: c.durable, action: 'created' };
  }
}

/**
 * Creates or updates every stream and durable consumer; safe to run again and again. Nothing is
 * ever deleted: removing a definition leaves the server's copy for an operator to retire.
 *
 * @example
 * const steps = await provision(bus.jsm, await loadNatsDefinitions('deploy/nats'), { prefix: process.env.STREAM_PREFIX });
 */
export async function provision(
  jsm: JetStreamManager,
  definitions: NatsDefinitions,
  options: ProvisionOptions = {},
): Promise<ProvisionStep[]> {
  const prefix = options.prefix ?? '';
  assertStreamPrefix(prefix);
  const log = options.log ?? silentLogger;
  const steps: ProvisionStep[] = [];
  const run = async (label: string, step: () => Promise<ProvisionStep>): Promise<void> => {
    try {
      const done = await step();
      steps.push(done);
      log.info({ ...done }, `${done.kind} ${done.name} ${done.action}`);
    } catch (cause) {
      if (cause instanceof EventsError) throw cause;
      throw new EventsError('EVENTS_PROVISION_FAILED', `${label}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  };
  for (const s of definitions.streams) await run(`stream ${s.name}`, () => upsertStream(jsm, s, prefix));
  for (const c of definitions.consumers) await run(`consumer ${c.durable}`, () => upsertConsumer(jsm, c, prefix));
  return steps;
}
