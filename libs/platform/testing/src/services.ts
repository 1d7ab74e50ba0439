import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';

export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const LOCAL_NATS_URL = 'nats://127.0.0.1:4222';

/** The Postgres every integration test uses; the global setup has checked that it answers. */
export function testDatabaseUrl(): string {
  return process.env['DATABASE_URL'] || LOCAL_DATABASE_URL;
}

/** The NATS JetStream server every integration test uses; the global setup has checked that it answers. */
export function testNatsUrl(): string {
  return process.env['NATS_URL'] || LOCAL_NATS_URL;
}

/** Resolves to an error message when Postgres at `url` does not answer a query, or null when it does. */
export async function probePostgres(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Resolves to an error message when NATS at `url` is unreachable or has no JetStream, or null when it is fine. */
export async function probeJetStream(url: string): Promise<string | null> {
  try {
    const nc = await connect({ servers: url, timeout: 3_000, reconnect: false });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
      return null;
    } finally {
      await nc.close();
    }
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
