import { fixedSql, sql, type Executor } from '@oo/db';
import type { ProfileDatabase, UserProfileFeaturesTable } from '../../db/database';

export type FeatureRow = UserProfileFeaturesTable;

// `name = any($1)` rather than `name in ($1, $2, …)`: one statement text for any number of names,
// so it stays prepared.
const anyOf = (names: readonly string[]) => sql<string>`any(${[...names]}::text[])`;

/** All cached feature values of one user. */
export function findFeatureRows(db: Executor<ProfileDatabase>, userId: string): Promise<FeatureRow[]> {
  return fixedSql<FeatureRow>`select * from user_profile_features where user_id = ${userId}`.execute(db).then((r) => r.rows);
}

/** The named cached features of one user. */
export function findNamedFeatureRows(db: Executor<ProfileDatabase>, userId: string, names: readonly string[]): Promise<FeatureRow[]> {
  if (names.length === 0) return Promise.resolve([]);
  return db.selectFrom('user_profile_features').selectAll().where('user_id', '=', userId).where('name', '=', anyOf(names)).execute();
}

/** Writes freshly computed values, replacing older ones. */
export async function upsertFeatureRows(db: Executor<ProfileDatabase>, rows: FeatureRow[]): Promise<void> {
  await replaceFeatureRows(db, rows[0]?.user_id ?? '', [], rows);
}

/**
 * Deletes the user's `deleted` features (the next read recomputes them) and writes `rows`, in one
 * statement. The two sets must not overlap: one statement cannot both delete and write a row.
 */
export async function replaceFeatureRows(db: Executor<ProfileDatabase>, userId: string, deleted: readonly string[], rows: FeatureRow[]): Promise<void> {
  if (rows.length === 0) {
    await deleteFeatureRows(db, userId, deleted);
    return;
  }
  // The delete rides along as a data-modifying CTE (one round trip); the names go as one array
  // parameter, so the statement's text is the same whatever their number (it stays prepared).
  const names = deleted;
  await db
    .with('gone', (qb) => qb.deleteFrom('user_profile_features').where('user_id', '=', userId).where('name', '=', anyOf(names)))
    .insertInto('user_profile_features')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['user_id', 'name']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        value_text: eb.ref('excluded.value_text'),
        is_fallback: eb.ref('excluded.is_fallback'),
        computed_at: eb.ref('excluded.computed_at'),
        registry_version: eb.ref('excluded.registry_version'),
        numerator: eb.ref('excluded.numerator'),
        denominator: eb.ref('excluded.denominator'),
      })),
    )
    .execute();
}

/** Deletes the named cached features of one user, so the next read recomputes them. */
export async function deleteFeatureRows(db: Executor<ProfileDatabase>, userId: string, names: readonly string[]): Promise<number> {
  if (names.length === 0) return 0;
  const result = await db.deleteFrom('user_profile_features').where('user_id', '=', userId).where('name', '=', anyOf(names)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Serialises work on one user's features across transactions and service instances: a recompute
 * and an invalidation of the same user never interleave, so a value computed from old inputs can
 * never be written after the event that invalidated it.
 */
export async function lockUserFeatures(db: Executor<ProfileDatabase>, userId: string): Promise<void> {
  await fixedSql`select pg_advisory_xact_lock(hashtextextended(${`profile-features:${userId}`}, 0))`.execute(db);
}
