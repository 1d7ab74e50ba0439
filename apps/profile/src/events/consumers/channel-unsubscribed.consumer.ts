import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { ProfileDatabase } from '../../db/database';
import { removeChannel, type PreferencesDeps } from '../../features/preferences/preferences.service';

/**
 * `notify.unsubscribed`: the user turned a channel off from a notification (one-click
 * unsubscribe, no session), so their preferences lose it and say so to every service.
 */
export function channelUnsubscribedHandler(deps: Omit<PreferencesDeps, 'db'>) {
  return async (trx: Transaction<ProfileDatabase>, event: SubjectMessage<'notify.unsubscribed'>, eventTime: Date | undefined): Promise<void> => {
    const at = event.unsubscribedAt ? timestampDate(event.unsubscribedAt) : eventTime;
    if (!event.userId || !event.channel || !at) throw new PermanentEventError('notify.unsubscribed lacks a user, a channel or a time');
    await removeChannel(trx, deps, event.userId, event.channel, at);
  };
}
