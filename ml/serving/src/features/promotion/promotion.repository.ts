import { sql, type Kysely, type Selectable, type Transaction } from '@oo/db';
import type { MlDatabase, PolicyPromotionsTable } from '../../db/database';

export type PromotionRow = Selectable<PolicyPromotionsTable>;

/** The switch in force (the newest), or undefined before the first. */
export async function latestPromotion(db: Kysely<MlDatabase>): Promise<PromotionRow | undefined> {
  return db.selectFrom('policy_promotions').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/** Every switch, newest first, at most `limit`. */
export async function promotionHistory(db: Kysely<MlDatabase>, limit: number): Promise<PromotionRow[]> {
  return db.selectFrom('policy_promotions').selectAll().orderBy('seq', 'desc').limit(limit).execute();
}

export async function promotionById(db: Kysely<MlDatabase>, promotionId: string): Promise<PromotionRow | undefined> {
  return db.selectFrom('policy_promotions').selectAll().where('promotion_id', '=', promotionId).executeTakeFirst();
}

/**
 * Serialises switches across instances for the rest of the transaction, so two promotions (a
 * person's and the automatic one) cannot both pass their checks against the same assignment.
 */
export async function lockSwitches(trx: Transaction<MlDatabase>, schema: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`${schema}.policy_promotions`}))`.execute(trx);
}

export async function insertPromotion(trx: Transaction<MlDatabase>, row: Omit<PromotionRow, 'seq' | 'shadow_policies' | 'evidence'> & { shadow_policies: string[]; evidence: unknown }): Promise<void> {
  await trx
    .insertInto('policy_promotions')
    .values({ ...row, shadow_policies: JSON.stringify(row.shadow_policies), evidence: row.evidence === null ? null : JSON.stringify(row.evidence) })
    .execute();
}
