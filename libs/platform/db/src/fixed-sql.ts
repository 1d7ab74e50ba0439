import { CompiledQuery, isOperationNodeSource, type QueryResult } from 'kysely';
import type { Executor } from './transaction';

/** A statement from `fixedSql`, ready to run on a database or inside a transaction. */
export interface FixedStatement<Row> {
  execute<DB>(db: Executor<DB>): Promise<QueryResult<Row>>;
}

// One text per call site: a template literal's strings array is the same object on every call.
const texts = new WeakMap<TemplateStringsArray, string>();

function textOf(strings: TemplateStringsArray): string {
  let text = texts.get(strings);
  if (text === undefined) {
    text = strings.reduce((out, part, i) => (i === 0 ? part : `${out}$${i}${part}`));
    texts.set(strings, text);
  }
  return text;
}

/**
 * Like Kysely's `sql` tag for a hot statement whose every interpolation is a plain value: the SQL
 * text is built once per call site ($1, $2, … in order) instead of compiling a query tree on every
 * call, and it is the same text each time, so it stays prepared. An interpolated Kysely
 * expression (`sql.lit`, a `sql` fragment, a builder) is refused — use `sql` for those.
 *
 * @example
 * const { rows } = await fixedSql<{ n: number }>`select count(*)::int as n from tasks where user_id = ${userId}`.execute(db);
 */
export function fixedSql<Row = unknown>(strings: TemplateStringsArray, ...values: unknown[]): FixedStatement<Row> {
  for (const value of values) {
    if (isOperationNodeSource(value)) throw new TypeError('fixedSql takes plain values only; use sql for expressions');
  }
  const query = CompiledQuery.raw(textOf(strings), values);
  return { execute: (db) => db.executeQuery(query as CompiledQuery<Row>) };
}
