import { sql, type Kysely, type Transaction } from 'kysely';

/** One table of a service's contribution to a user's data export. */
export interface ExportTable {
  /** A table in the service's own schema. */
  table: string;
  /**
   * The columns exported, named one by one: a column added later (a secret, say) stays out of
   * exports until someone decides it belongs in them.
   */
  columns: readonly string[];
  /** The column holding the user id (default `user_id`). */
  userColumn?: string;
  /**
   * Columns whose value is replaced by a statement when set (`sealed` → "connected, token held
   * encrypted"): the user learns the thing exists without a secret leaving the service.
   */
  masked?: Readonly<Record<string, string>>;
}

/** One exported column as the service's schema describes it (type, and its `COMMENT ON COLUMN`). */
export interface ExportedField {
  table: string;
  column: string;
  type: string;
  description: string;
}

/** One message's worth of a service's export: a slice of its JSON document, the fields with the first. */
export interface UserExportChunk {
  chunkIndex: number;
  chunkCount: number;
  data: Uint8Array;
  fields: ExportedField[];
}

/** Well under NATS's 1 MiB message limit, leaving room for the field list, headers and protobuf framing. */
export const EXPORT_CHUNK_BYTES = 256 * 1024;

/**
 * Splits bytes into consecutive slices of at most `maxBytes` (at least one slice, even for none).
 *
 * @example
 * chunkBytes(new Uint8Array(5), 2).map((c) => c.length); // [2, 2, 1]
 */
export function chunkBytes(bytes: Uint8Array, maxBytes: number): Uint8Array[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`maxBytes must be a positive integer, not ${maxBytes}`);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += maxBytes) chunks.push(bytes.subarray(at, at + maxBytes));
  return chunks.length > 0 ? chunks : [new Uint8Array(0)];
}

// JSON has no bytes: a bytea value (a model's statistics) is exported as base64.
function jsonValue(value: unknown): unknown {
  return Buffer.isBuffer(value) ? value.toString('base64') : value;
}

/**
 * The user's rows of each table, only the named columns (masked ones replaced by their statement),
 * as one JSON document `{ "<table>": [row, …] }`, UTF-8 encoded.
 *
 * @example
 * const json = await userExportDocument(trx, [{ table: 'preferences', columns: ['timezone'] }], userId);
 */
export async function userExportDocument<DB>(db: Kysely<DB> | Transaction<DB>, tables: readonly ExportTable[], userId: string): Promise<Uint8Array> {
  const document: Record<string, Record<string, unknown>[]> = {};
  for (const spec of tables) {
    const columns = spec.columns.map((column) => {
      const statement = spec.masked?.[column];
      return statement === undefined ? sql.ref(column) : sql`case when ${sql.ref(column)} is null then null else ${statement}::text end as ${sql.ref(column)}`;
    });
    const { rows } = await sql<Record<string, unknown>>`select ${sql.join(columns)} from ${sql.table(spec.table)} where ${sql.ref(spec.userColumn ?? 'user_id')} = ${userId} order by 1`.execute(db);
    document[spec.table] = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v)])));
  }
  return new TextEncoder().encode(JSON.stringify(document));
}

/**
 * What each exported column is, read from the schema the connection is on (its `search_path`):
 * the type from information_schema and the description from `COMMENT ON COLUMN`, in the order the
 * tables name them. A column named but not in the schema is an error (the export list drifted).
 *
 * @example
 * const fields = await describeExportFields(trx, PROFILE_EXPORT);
 */
export async function describeExportFields<DB>(db: Kysely<DB> | Transaction<DB>, tables: readonly ExportTable[]): Promise<ExportedField[]> {
  const names = tables.map((t) => t.table);
  const { rows } = await sql<{ table_name: string; column_name: string; type: string; description: string | null }>`
    select c.table_name, c.column_name,
      case when c.data_type = 'ARRAY' then c.udt_name else c.data_type end as type,
      col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position) as description
    from information_schema.columns c
    where c.table_schema = current_schema() and c.table_name = any(${names}::text[])`.execute(db);
  const found = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
  return tables.flatMap((spec) =>
    spec.columns.map((column) => {
      const row = found.get(`${spec.table}.${column}`);
      if (!row) throw new Error(`export lists ${spec.table}.${column}, which is not a column of the schema`);
      return { table: spec.table, column, type: spec.masked?.[column] === undefined ? row.type : 'text', description: row.description ?? '' };
    }),
  );
}

/**
 * A service's whole contribution to a user's export, ready to be sent as `exports.part` messages:
 * the JSON document of the user's rows cut into chunks, the field descriptions on the first.
 * The kit's `answerExportRequest` (@oo/service) sends them, one part per chunk.
 *
 * @example
 * const chunks = await userExportChunks(trx, PROFILE_EXPORT, request.userId);
 */
export async function userExportChunks<DB>(
  db: Kysely<DB> | Transaction<DB>,
  tables: readonly ExportTable[],
  userId: string,
  maxChunkBytes = EXPORT_CHUNK_BYTES,
): Promise<UserExportChunk[]> {
  const fields = await describeExportFields(db, tables);
  const chunks = chunkBytes(await userExportDocument(db, tables, userId), maxChunkBytes);
  return chunks.map((data, chunkIndex) => ({ chunkIndex, chunkCount: chunks.length, data, fields: chunkIndex === 0 ? fields : [] }));
}
