// A system whose time-of-day services (the recommender's nudge scheduler, the notifier's rules)
// run in the test process on a clock the test moves, every other service as its own process.
import { startService } from '@oo/service';
import { notifierService } from '../../apps/notifier/src/service';
import { recommender } from '../../apps/recommender/src/service';
import type { HostedStart, RunningSystem } from '../system/launch-system';
import { launchTestSystem } from './e2e-support';

/** Real time plus an offset the test moves: time goes on at real speed from wherever it is put. */
export interface MovableClock {
  now(): Date;
  /** Moves to the next `minute` past `hour` (UTC), at least a minute ahead of now; returns that moment. */
  moveTo(hour: number, minute: number): Date;
}

export function movableClock(): MovableClock {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  return {
    now,
    moveTo(hour, minute) {
      const current = now();
      const target = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth(), current.getUTCDate(), hour, minute));
      if (target.getTime() < current.getTime() + 60_000) target.setUTCDate(target.getUTCDate() + 1);
      offsetMs += target.getTime() - current.getTime();
      return target;
    },
  };
}

/**
 * The whole system on the machine's Postgres and JetStream, with the recommender and the notifier
 * on `clock` in this process.
 *
 * @example
 * const clock = movableClock(); clock.moveTo(8, 30);
 * const system = await launchSystemOnClock('nudge-e2e', clock, { NUDGE_TICK_MS: '100' });
 */
export function launchSystemOnClock(label: string, clock: MovableClock, env: Record<string, string> = {}): Promise<RunningSystem & { prefix: string }> {
  const recommenderOnClock: HostedStart = (e) => startService(recommender, { env: e, clock: clock.now });
  const notifierOnClock: HostedStart = (e) => startService(notifierService, { env: e, clock: clock.now });
  return launchTestSystem(label, env, { inProcess: { recommender: recommenderOnClock, notifier: notifierOnClock } });
}
