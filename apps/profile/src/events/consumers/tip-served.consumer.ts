import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import type { ProfileDatabase } from '../../db/database';
import type { ProjectedTip } from '../../features/tip-projection/projected-tip';
import { recordTipServed } from '../../features/tip-projection/tip-projection.repository';
import { UnprojectableEventError } from './unprojectable-event.error';

/**
 * Projects `signals.tip.served` into the profile's own table under the user's feature lock (so a
 * reaction to the same decision projected concurrently is seen by one of the two); returns the
 * user and, if the decision was new, the change.
 */
export async function projectTipServed(trx: Executor<ProfileDatabase>, served: SubjectMessage<'signals.tip.served'>): Promise<ProjectedTip> {
  if (!served.servedAt || !served.userId) throw new UnprojectableEventError(`served ${served.decisionId} lacks a time or a user`);
  const servedAt = timestampDate(served.servedAt);
  const { isNew, reaction } = await recordTipServed(trx, {
    decision_id: served.decisionId,
    user_id: served.userId,
    tip_id: served.tipId,
    tip_kind: served.tipKind,
    served_at: servedAt,
  });
  if (!isNew) return { userId: served.userId, change: null };
  return { userId: served.userId, change: { before: { servedAt: null, reaction }, after: { servedAt, reaction } } };
}
