import { sql } from 'kysely';
import { fixedSql } from './fixed-sql';

// The executor is faked here: what matters is the text and parameters it is handed.
function recorder() {
  const seen: { sql: string; parameters: readonly unknown[] }[] = [];
  const db = { executeQuery: async (q: { sql: string; parameters: readonly unknown[] }) => (seen.push(q), { rows: [] }) };
  return { db: db as never, seen };
}

describe('fixedSql', () => {
  it('numbers the values in order, and builds one text per call site', async () => {
    const { db, seen } = recorder();
    const statement = (user: string, limit: number) => fixedSql`select * from tasks where user_id = ${user} limit ${limit}`;
    await statement('u1', 5).execute(db);
    await statement('u2', 7).execute(db);
    expect(seen.map((q) => q.sql)).toEqual(Array(2).fill('select * from tasks where user_id = $1 limit $2'));
    expect(seen.map((q) => q.parameters)).toEqual([
      ['u1', 5],
      ['u2', 7],
    ]);
    expect(seen[0]?.sql).toBe(seen[1]?.sql);
  });

  it('refuses an interpolated expression, which only sql can compile', () => {
    expect(() => fixedSql`select ${sql.lit(1)}`).toThrow(TypeError);
  });
});
