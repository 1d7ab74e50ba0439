export { testDatabaseUrl, testNatsUrl, probePostgres, probeJetStream } from './services';
export { createTestSchema, uniqueStreamPrefix, type TestSchema } from './test-schema';
export { freePort, reservePort, startPrivateNatsServer, type PortReservation, type PrivateNatsClusterMember, type PrivateNatsServer } from './private-nats-server';
export { nodeAnswers, startPrivateNatsCluster, type PrivateNatsCluster } from './private-nats-cluster';
export { startPrivatePostgres, type PrivatePostgres } from './private-postgres';
export { createTestAuth, deleteStreamsWithPrefix, eventually, TEST_ISSUER, type TestAuth } from './test-helpers';
export { listRoutes, type RouteSpec } from './route-list';
export { fuzzRoutes, type FuzzCaller, type FuzzFailure, type FuzzOptions, type FuzzReport } from './route-fuzzer';
export { FUZZ_SAMPLE_ID, type FuzzCase } from './hostile-inputs';
