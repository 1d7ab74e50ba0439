import { Client } from 'pg';
import { createTestSchema, uniqueStreamPrefix } from '../src';

async function schemaExists(url: string, schema: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from information_schema.schemata where schema_name = $1', [schema]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('createTestSchema', () => {
  it('creates a fresh schema per call and drops it', async () => {
    const a = await createTestSchema('Some Label!');
    const b = await createTestSchema('Some Label!');
    expect(a.schema).toMatch(/^t_some_label_[0-9a-f]{8}$/);
    expect(a.schema).not.toBe(b.schema);
    expect(await schemaExists(a.url, a.schema)).toBe(true);
    await a.drop();
    await b.drop();
    expect(await schemaExists(a.url, a.schema)).toBe(false);
  });

  it('gives unique stream prefixes that are valid stream names', () => {
    const p = uniqueStreamPrefix('events-outbox');
    expect(p).toMatch(/^t_events_outbox_[0-9a-f]{8}$/);
    expect(uniqueStreamPrefix('events-outbox')).not.toBe(p);
  });
});
