import { fixedSql, type Executor } from '@oo/db';
import type { ProfileDatabase, UserProfileFeaturesTable } from '../../db/database';

export type FeatureRow = UserProfileFeaturesTable;

// Names go as one array (`name = any($2)`), not `name in ($2, $3, …)`: one statement text for any
// number of names, so it stays prepared.

/** All cached feature values of one user. */
export function findFeatureRows(db: Executor<ProfileDatabase>, userId: string): Promise<FeatureRow[]> {
  return fixedSql<FeatureRow>`select * from user_profile_features where user_id = ${userId}`.execute(db).then((r) => r.rows);
}

/** The named cached features of one user. */
export function findNamedFeatureRows(db: Executor<ProfileDatabase>, userId: string, names: readonly string[]): Promise<FeatureRow[]> {
  if (names.length === 0) return Promise.resolve([]);
  return fixedSql<FeatureRow>`select * from user_profile_features where user_id = ${userId} and name = any(${[...names]}::text[])`
    .execute(db)
    .then((r) => r.rows);
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
  // On every projected event, so one fixed text whatever the number of rows (columns as arrays),
  // with the delete riding along as a data-modifying CTE: one round trip, and it stays prepared.
  const column = <K extends keyof FeatureRow>(key: K) => rows.map((r) => r[key]);
  await fixedSql`
    with gone as (
      delete from user_profile_features where user_id = ${userId} and name = any(${[...deleted]}::text[])
    )
    insert into user_profile_features (user_id, name, value, value_text, is_fallback, computed_at, registry_version, numerator, denominator)
    select * from unnest(${column('user_id')}::text[], ${column('name')}::text[], ${column('value')}::float8[], ${column('value_text')}::text[],
      ${column('is_fallback')}::boolean[], ${column('computed_at')}::timestamptz[], ${column('registry_version')}::text[],
      ${column('numerator')}::float8[], ${column('denominator')}::float8[])
    on conflict (user_id, name) do update set
      value = excluded.value, value_text = excluded.value_text, is_fallback = excluded.is_fallback, computed_at = excluded.computed_at,
      registry_version = excluded.registry_version, numerator = excluded.numerator, denominator = excluded.denominator`.execute(db);
}

/** Deletes the named cached features of one user, so the next read recomputes them. */
export async function deleteFeatureRows(db: Executor<ProfileDatabase>, userId: string, names: readonly string[]): Promise<number> {
  if (names.length === 0) return 0;
  const result = await fixedSql`delete from user_profile_features where user_id = ${userId} and name = any(${[...names]}::text[])`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Serialises work on one user's features across transactions and service instances: a recompute
 * and an invalidation of the same user never interleave, so a value computed from old inputs can
 * never be written after the event that invalidated it.
 */
export async function lockUserFeatures(db: Executor<ProfileDatabase>, userId: string): Promise<void> {
  await fixedSql`select pg_advisory_xact_lock(hashtextextended(${`profile-features:${userId}`}, 0))`.execute(db);
}
