import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { describeError } from './errors';
import type { EventsLogger, FanOutHandler, FanOutSpec, FanOutSubscription, SubscriptionHealth } from './event-bus.types';
import { prefixStream, prefixSubject, unprefixSubject } from './stream-names';

export interface FanOutLink {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

export interface FanOutSettings {
  prefix: string;
  log: EventsLogger;
  /** Pauses before re-creating a broken consumer, one per consecutive failure; the last repeats. */
  recoverDelaysMs: readonly number[];
  /** How long one pull waits on the server; heartbeats come at half of it. */
  fetchExpiresMs: number;
  onStopped?: (sub: JetStreamFanOut) => void;
}

function headersOf(m: JsMsg): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const key of m.headers?.keys() ?? []) if (!key.toLowerCase().startsWith('nats-')) headers[key] = m.headers?.get(key) ?? '';
  return headers;
}

/**
 * A fan-out subscription on JetStream: an ordered (ephemeral, unacknowledged, in-memory) pull
 * consumer of its own, starting at `since`, so every process sees every event. When it breaks
 * (connection lost, consumer gone, heartbeats missed) it is re-created from the sequence after
 * the last event seen, so nothing is missed or seen twice.
 */
export class JetStreamFanOut implements FanOutSubscription {
  private lastSeq = 0;
  private stopping = false;
  private consuming = false;
  private reason = 'starting';
  private lastAliveAt?: Date;
  private messages?: ConsumerMessages;
  private wake?: () => void;
  private readonly loop: Promise<void>;

  constructor(
    private readonly link: () => FanOutLink | undefined,
    private readonly connected: () => boolean,
    private readonly spec: FanOutSpec,
    private readonly handler: FanOutHandler,
    private readonly settings: FanOutSettings,
  ) {
    this.loop = this.run();
  }

  health(): SubscriptionHealth {
    const alive = this.lastAliveAt ? { lastAliveAt: this.lastAliveAt } : {};
    if (this.stopping) return { healthy: false, reason: 'stopped', ...alive };
    if (!this.connected()) return { healthy: false, reason: 'disconnected', ...alive };
    return this.consuming ? { healthy: true, ...alive } : { healthy: false, reason: this.reason, ...alive };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.messages?.close().catch(() => undefined);
    await this.loop;
    this.settings.onStopped?.(this);
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopping; ) {
      const link = this.link();
      if (!link || !this.connected()) {
        this.reason = 'disconnected';
        await this.pause(250);
        continue;
      }
      try {
        await this.consume(link);
        failures = 0;
      } catch (err) {
        if (this.stopping) break;
        this.reason = describeError(err);
        if (failures === 0) this.settings.log.warn({ err, subject: this.spec.subject }, 'fan-out subscription broke; re-creating it');
      }
      this.consuming = false;
      if (this.stopping) break;
      const delays = this.settings.recoverDelaysMs;
      await this.pause(delays[Math.min(failures++, delays.length - 1)] ?? 1_000);
    }
  }

  private async consume(link: FanOutLink): Promise<void> {
    const { prefix } = this.settings;
    const subject = prefixSubject(prefix, this.spec.subject);
    const stream = this.spec.stream ? prefixStream(prefix, this.spec.stream) : await link.jsm.streams.find(subject);
    const start = this.lastSeq > 0 ? { opt_start_seq: this.lastSeq + 1 } : { opt_start_time: this.spec.since.toISOString() };
    const consumer = await link.js.consumers.get(stream, { filter_subjects: subject, ...start });
    const expires = this.settings.fetchExpiresMs;
    const messages = await consumer.consume({ max_messages: 256, expires, idle_heartbeat: Math.floor(expires / 2) });
    this.messages = messages;
    if (this.stopping) await messages.close();
    this.consuming = true;
    this.lastAliveAt = new Date();
    void this.watch(messages);
    for await (const m of messages) {
      this.lastAliveAt = new Date();
      this.lastSeq = m.seq;
      try {
        await this.handler({ subject: unprefixSubject(prefix, m.subject), headers: headersOf(m), data: m.data, streamSequence: m.seq });
      } catch (err) {
        this.settings.log.error({ err, subject: this.spec.subject, seq: m.seq }, 'fan-out handler failed; the event is skipped');
      }
    }
    if (!this.stopping) throw new Error('the fan-out consumer ended');
  }

  // Missed heartbeats or a vanished consumer end this round, so `run` re-creates it from lastSeq.
  private async watch(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (status.type === 'heartbeats_missed' || status.type === 'consumer_deleted' || status.type === 'consumer_not_found') {
        this.consuming = false;
        this.reason = status.type;
        await messages.close().catch(() => undefined);
        return;
      }
      if (status.type === 'next' || status.type === 'heartbeat') this.lastAliveAt = new Date();
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
