export { testDatabaseUrl, testNatsUrl, probePostgres, probeJetStream } from './services';
export { createTestSchema, uniqueStreamPrefix, type TestSchema } from './test-schema';
export { startPrivateNatsServer, type PrivateNatsServer } from './private-nats-server';
export { createTestAuth, deleteStreamsWithPrefix, eventually, TEST_ISSUER, type TestAuth } from './test-helpers';
