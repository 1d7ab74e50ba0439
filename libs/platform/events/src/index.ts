// Public API of @oo/events: typed protobuf CloudEvents over a bus (JetStream, or in-process),
// the transactional outbox and its relay, idempotent durable consumers, and streams as code.
export type {
  BusHealth,
  Delivery,
  DeliveryHandler,
  EncodedEvent,
  EventBus,
  EventSubscription,
  EventsLogger,
  FanOutEvent,
  FanOutHandler,
  FanOutSpec,
  FanOutSubscription,
  PublishReceipt,
  SubscriptionHealth,
  SubscriptionSpec,
} from './event-bus.types';
export { silentLogger } from './event-bus.types';
export {
  CE_HEADERS,
  PROTOBUF_CONTENT_TYPE,
  dataschemaOf,
  decodeEvent,
  encodeEvent,
  readEnvelope,
  type DecodedEvent,
  type EncodeOptions,
  type EventEnvelope,
  type RawEvent,
} from './cloud-event.codec';
export { createEventCodec, type EventCodec, type MessageOf, type SubjectMap, type SubjectOf } from './event-codec';
export { EventsError, PermanentEventError, type EventsErrorCode } from './errors';
export { createEventsMetrics, type EventsMetrics } from './events-metrics';
export {
  connectJetStreamBus,
  createJetStreamBus,
  type ConnectJetStreamBusOptions,
  type JetStreamBus,
  type JetStreamBusOptions,
} from './jetstream-bus';
export { createInProcessBus, type InProcessBusOptions } from './in-process-bus';
export { deadLetterSubject, prefixStream, prefixSubject } from './stream-names';
export { DEAD_LETTER_HEADERS, type DeadLetterReason } from './dead-letter';
export { consumerLag, listDeadLetters, replayDeadLetter, type ConsumerLag, type DeadLetter, type Replayed } from './dead-letter-admin';
export { eventsMigrations } from './events.migrations';
export type { EventsDatabase } from './events.tables';
export { enqueueEvent, enqueueEventWith, type EnqueuedEvent, type EnqueueOptions } from './outbox';
export { eraseUserEventState } from './user-erasure';
export { chunkBytes, describeExportFields, EXPORT_CHUNK_BYTES, userExportChunks, userExportDocument, type ExportedField, type ExportTable, type UserExportChunk } from './user-export';
export { erasedUserDigest, isUserErased, markUserErased, pruneErasedUsers } from './erased-users';
export { startOutboxRelay, type OutboxRelay, type OutboxRelayHealth, type OutboxRelayOptions } from './outbox-relay';
export { startConsumer, type ConsumerOptions, type ReceivedEvent, type RunningConsumer } from './consumer';
export {
  loadNatsDefinitions,
  parseDurationMs,
  parseSizeBytes,
  servicesConsuming,
  validateDefinitions,
  type ConsumerDefinition,
  type NatsDefinitions,
  type StreamDefinition,
} from './nats-definitions';
export { provision, type ProvisionOptions, type ProvisionStep } from './provision';
export { headersOf, replaySubject, type ReplayStart } from './stream-replay';
