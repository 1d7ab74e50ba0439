import type { PoolClient } from 'pg';

/** How a connection decides which statements to keep prepared. */
export interface PreparedStatementLimits {
  /** Statements kept prepared per connection; later ones run unnamed (parsed and planned each time). */
  maxPrepared: number;
  /** A statement is prepared on its this-many-th execution on the connection, so one-off SQL never takes a slot. */
  afterUses: number;
}

const SIGHTINGS_KEPT = 1_000;

/**
 * Makes a pooled connection run its repeated parameterised statements as named prepared
 * statements: Postgres parses and analyses each once per connection instead of on every
 * execution, and may settle on a generic plan, and the client stops sending the statement text.
 * Kysely gives every query of one shape the same SQL text, so the hot statements are prepared
 * after a few uses. Only statements with parameters are named: a text without them may hold
 * several statements (migrations), which the extended protocol refuses. Bounded per connection;
 * Postgres drops the statements when the connection closes.
 *
 * @example
 * pool.on('connect', (client) => prepareRepeatedStatements(client, { maxPrepared: 256, afterUses: 2 }));
 */
export function prepareRepeatedStatements(client: PoolClient, limits: PreparedStatementLimits): void {
  const names = new Map<string, string>();
  const sightings = new Map<string, number>();
  // Texts whose prepared plan went stale under a schema change: they run unnamed from then on.
  const stale = new Set<string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const nameFor = (text: string): string | undefined => {
    if (stale.has(text)) return undefined;
    const known = names.get(text);
    if (known !== undefined || names.size >= limits.maxPrepared) return known;
    const seen = (sightings.get(text) ?? 0) + 1;
    if (seen < limits.afterUses) {
      if (sightings.size >= SIGHTINGS_KEPT) sightings.clear();
      sightings.set(text, seen);
      return undefined;
    }
    sightings.delete(text);
    const name = `oo_stmt_${names.size + 1}`;
    names.set(text, name);
    return name;
  };
  (client as { query: unknown }).query = (...args: unknown[]): unknown => {
    const [text, values, callback] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = nameFor(text);
      if (name !== undefined) {
        return (query({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
          if (!isStalePlan(err)) throw err;
          // A migration changed what `select *` returns while this connection held the plan:
          // Postgres refuses to run it. Outside a transaction the statement simply runs again
          // unnamed; inside one the transaction has failed, and its caller's retry will do so.
          stale.add(text);
          if ((client as { getTransactionStatus?: () => string | null }).getTransactionStatus?.() !== 'I') throw err;
          return query(text, values);
        });
      }
    }
    return query(...args);
  };
}

// SQLSTATE 0A000 with this message: the plan's result columns no longer match the table.
function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}
