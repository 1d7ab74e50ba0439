export type { Kysely, Transaction, Migration, Selectable, Insertable, Updateable, Generated, ColumnType } from 'kysely';
export { sql } from 'kysely';
export { poolStats, type PoolStats } from './create-db';
export { createDb, isDbReachable, assertSchemaName, DB_DEFAULTS, type DbConfig, type CreateDbOptions } from './create-db';
export { inTransaction, type Executor } from './transaction';
export { migrateToLatest, migrateDown, type MigrationSet, type MigrateOptions } from './migrations';
export { runMigrationCommand } from './migration-command';
export { DbError, type DbErrorCode } from './errors';
export { listenForNotifications, type NotificationListener, type NotificationListenerOptions } from './notification-listener';
