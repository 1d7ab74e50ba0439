import type { Executor } from '@oo/db';
import type { ProfileDatabase } from '../../src/db/database';

/** Stands for a whole raw query (`sql`...`.execute(db)`), whose tables cannot be seen. */
export const RAW_QUERY = '<raw sql>';

function collectTables(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectTables(item, into);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as { kind?: string; table?: { identifier?: { name?: string } } };
  // A column reference names its table's alias (`s.served_at`), not a table read.
  if (n.kind === 'ReferenceNode') return;
  if (n.kind === 'TableNode' && n.table?.identifier?.name) into.add(n.table.identifier.name);
  for (const value of Object.values(node)) collectTables(value, into);
}

/**
 * Wraps a kysely executor so every query it compiles records the tables it names.
 *
 * @example
 * const { db: recording, tables } = recordTableReads(db);
 * await feature.compute('u1', recording, now); // tables: Set { 'tip_served', ... }
 */
export function recordTableReads(db: Executor<ProfileDatabase>): { db: Executor<ProfileDatabase>; tables: Set<string> } {
  const tables = new Set<string>();
  const recording = db.withPlugin({
    transformQuery({ node }) {
      if (node.kind === 'RawNode') tables.add(RAW_QUERY);
      collectTables(node, tables);
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  return { db: recording, tables };
}
