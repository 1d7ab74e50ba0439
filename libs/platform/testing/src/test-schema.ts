import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl } from './services';

export interface TestSchema {
  /** A fresh, empty schema name, unique to this test file. */
  schema: string;
  url: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

function uniqueName(label: string): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30);
  return `t_${clean}_${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a fresh schema for one test file in the test database.
 *
 * @example
 * const { schema, url, drop } = await createTestSchema('outbox');
 * const db = createDb({ url, schema });
 * afterAll(drop);
 */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const url = testDatabaseUrl();
  const schema = uniqueName(label);
  const withClient = async (statement: string): Promise<void> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await withClient(`create schema "${schema}"`);
  return { schema, url, drop: () => withClient(`drop schema if exists "${schema}" cascade`) };
}

/**
 * A stream and subject prefix unique to one test file, so test files sharing one NATS server never collide.
 *
 * @example
 * const prefix = uniqueStreamPrefix('profile-feedback'); // "t_profile_feedback_9f2c1a0b"
 */
export function uniqueStreamPrefix(label: string): string {
  return uniqueName(label);
}
