import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import type { ProfileDatabase } from '../../db/database';
import { ensureProfile, recordTipServed } from '../../features/tip-projection/tip-projection.repository';
import { UnprojectableEventError } from './unprojectable-event.error';

/** Projects `signals.tip.served` into the profile's own table; returns the user it concerns. */
export async function projectTipServed(trx: Executor<ProfileDatabase>, served: SubjectMessage<'signals.tip.served'>): Promise<string> {
  if (!served.servedAt || !served.userId) throw new UnprojectableEventError(`served ${served.decisionId} lacks a time or a user`);
  await ensureProfile(trx, served.userId);
  await recordTipServed(trx, {
    decision_id: served.decisionId,
    user_id: served.userId,
    tip_id: served.tipId,
    tip_kind: served.tipKind,
    served_at: timestampDate(served.servedAt),
  });
  return served.userId;
}
