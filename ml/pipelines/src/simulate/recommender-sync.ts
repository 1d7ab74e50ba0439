import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { JetStreamApiCodes, JetStreamApiError, jetstream } from '@nats-io/jetstream';
import { subjects, TaskUpsertedSchema } from '@oo/contracts';
import { CE_HEADERS, connectJetStreamBus, createEventCodec, prefixStream, prefixSubject, replaySubject, type JetStreamBus } from '@oo/events';
import type { SimUser } from './sim-population';

/** Whether the recommender is known to have applied the events before the loop starts. */
export type SyncState = 'applied' | 'no-consumer' | 'timeout';

/** How the simulation gets its users' tasks to the recommender, and knows its read model has them. */
export interface RecommenderSync {
  /** Publishes every user's tasks as `signals.task.upserted`, as integrations would; returns how many. */
  publishTasks(users: readonly SimUser[], now: Date): Promise<number>;
  /** Waits until the recommender's task consumer has acknowledged every task published. */
  waitForTasks(timeoutMs: number): Promise<SyncState>;
  /** Waits until profile has published each user's `profile.preferences.updated` (from `since`) and the recommender has acknowledged them. */
  waitForPreferences(userIds: readonly string[], since: Date, timeoutMs: number): Promise<SyncState>;
  close(): Promise<void>;
}

export interface RecommenderSyncOptions {
  readonly servers: string | string[];
  readonly prefix?: string;
  /** The recommender's durables (deploy/nats/consumers/recommender.json). */
  readonly durables?: { readonly tasks?: string; readonly preferences?: string };
}

const codec = createEventCodec(subjects, { source: 'integrations' });
const POLL_MS = 100;

/**
 * Publishes through the @oo/events JetStream bus and watches the recommender's durable
 * consumers: once a consumer's ack floor passes an event, the handler that applied it has
 * committed, so the read model holds it. Nothing is inferred from elapsed time.
 *
 * @example
 * const sync = await connectRecommenderSync({ servers: 'nats://127.0.0.1:4222' });
 * await sync.publishTasks(users, new Date());
 * await sync.waitForTasks(30_000);
 */
export async function connectRecommenderSync(options: RecommenderSyncOptions): Promise<RecommenderSync> {
  const prefix = options.prefix ?? '';
  const bus: JetStreamBus = await connectJetStreamBus({ servers: options.servers, prefix, name: 'ml-pipelines-simulate' });
  const js = jetstream(bus.connection);
  let lastTask: { stream: string; seq: number } | undefined;

  const ackedPast = async (stream: string, durable: string, seq: number, deadline: number): Promise<SyncState> => {
    for (;;) {
      try {
        if ((await bus.jsm.consumers.info(stream, durable)).ack_floor.stream_seq >= seq) return 'applied';
      } catch (err) {
        if (isNotFound(err)) return 'no-consumer';
        throw err;
      }
      if (Date.now() > deadline) return 'timeout';
      await sleep(POLL_MS);
    }
  };

  return {
    publishTasks: async (users, now) => {
      let count = 0;
      for (const user of users) {
        for (const task of user.tasks) {
          const message = create(TaskUpsertedSchema, {
            taskId: task.id,
            userId: user.id,
            source: task.source,
            externalId: task.id,
            title: task.title,
            dueAt: task.dueAt ? timestampFromDate(task.dueAt) : undefined,
            priority: task.priority,
            createdAt: timestampFromDate(task.createdAt),
            updatedAt: timestampFromDate(now),
          });
          // A fixed event id per task: publishing the same run again is a broker-side duplicate.
          const receipt = await bus.publish(codec.encode('signals.task.upserted', message, { userId: user.id, id: `${task.id}-upserted`, time: now }));
          if (!lastTask || receipt.seq > lastTask.seq) lastTask = { stream: receipt.stream, seq: receipt.seq };
          count++;
        }
      }
      return count;
    },
    waitForTasks: async (timeoutMs) =>
      lastTask ? ackedPast(lastTask.stream, options.durables?.tasks ?? 'recommender__task_upserted', lastTask.seq, Date.now() + timeoutMs) : 'applied',
    waitForPreferences: async (userIds, since, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      const stream = prefixStream(prefix, 'PROFILE');
      const waiting = new Set(userIds);
      let next: number | undefined;
      let last = 0;
      // Profile's outbox relay publishes shortly after each PUT; find our users' events and their sequences.
      while (waiting.size > 0) {
        try {
          await replaySubject(js, stream, prefixSubject(prefix, 'profile.preferences.updated'), next === undefined ? { time: since } : { seq: next }, (m) => {
            if (waiting.delete(m.headers?.get(CE_HEADERS.subject) ?? '')) last = Math.max(last, m.seq);
            next = m.seq + 1;
          }, { headersOnly: true });
        } catch (err) {
          if (isNotFound(err)) return 'no-consumer';
          throw err;
        }
        if (waiting.size === 0) break;
        if (Date.now() > deadline) return 'timeout';
        await sleep(POLL_MS);
      }
      return ackedPast(stream, options.durables?.preferences ?? 'recommender__preferences_updated', last, deadline);
    },
    close: () => bus.drain(),
  };
}

function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === JetStreamApiCodes.ConsumerNotFound || err.code === JetStreamApiCodes.StreamNotFound);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
