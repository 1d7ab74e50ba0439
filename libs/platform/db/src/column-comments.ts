import { sql, type Kysely, type Migration } from 'kysely';

/** What each column means, by table then column: the text of its `COMMENT ON COLUMN`. */
export type ColumnComments = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * A migration that describes columns in the schema itself (`COMMENT ON COLUMN`), where
 * information_schema readers — the data export's README among them — find them; down removes
 * them again.
 *
 * @example
 * export const commentExportedColumns = columnCommentsMigration({ preferences: { timezone: 'IANA time zone the tips are timed in' } });
 */
export function columnCommentsMigration(comments: ColumnComments): Migration {
  const each = async (db: Kysely<unknown>, text: (comment: string) => ReturnType<typeof sql.lit> | ReturnType<typeof sql.raw>) => {
    for (const [table, columns] of Object.entries(comments)) {
      for (const [column, comment] of Object.entries(columns)) {
        await sql`comment on column ${sql.table(table)}.${sql.ref(column)} is ${text(comment)}`.execute(db);
      }
    }
  };
  return {
    up: (db) => each(db, (comment) => sql.lit(comment)),
    down: (db) => each(db, () => sql.raw('null')),
  };
}
