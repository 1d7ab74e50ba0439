import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { NotificationDeliveredSchema, NotificationFailedSchema, PreferencesUpdatedSchema } from '@oo/contracts';
import { eventually } from '@oo/testing';
import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';

// The nudge scheduler on the real recommender (real Postgres and JetStream, profile and
// ml-serving played by local fakes), on a clock the test moves: it nudges at the user's preferred
// hour on their wall clock, never in quiet hours or with cadence off, once per slot across
// instances, with the channel in the decision's context; the notifier's reports land on the decision.
describe('the nudge scheduler', () => {
  let h: RecommenderHarness;
  let now = new Date('2026-12-03T07:30:00Z'); // 08:30 in Berlin
  const clock = () => now;
  const nudgeEnv = { NUDGES: 'on', NUDGE_TICK_MS: '50', NUDGE_LEASE_MS: '60000' };

  const prefer = async (userId: string, p: { channels: string[]; cadence: string; quiet?: [string, string] }) => {
    const before = await h.handled('recommender__preferences_updated');
    const message = create(PreferencesUpdatedSchema, {
      userId,
      timezone: 'Europe/Berlin',
      channels: p.channels,
      tipCadence: p.cadence,
      quietHoursStart: p.quiet?.[0] ?? '',
      quietHoursEnd: p.quiet?.[1] ?? '',
      updatedAt: timestampFromDate(new Date(now.getTime() - 60_000)),
    });
    await h.publish('profile.preferences.updated', message, userId);
    await eventually(async () => ((await h.handled('recommender__preferences_updated')) > before ? true : undefined), 'the preferences projected');
  };
  const seedTask = (userId: string, taskId: string) =>
    h.db
      .insertInto('tasks')
      .values({ task_id: taskId, user_id: userId, source: 'manual', title: `Task ${taskId}`, due_at: new Date('2026-12-03T16:00:00Z'), priority: 1, created_at: new Date('2026-12-01T00:00:00Z'), completed_at: null, url: '', version_at: new Date('2026-12-01T00:00:00Z'), deleted: false })
      .execute();
  const requestsFor = async (userId: string) => (await h.eventsOn('notify.requested')).filter((e) => e.message.userId === userId).map((e) => e.message);
  const nextCheck = async (userId: string) => (await h.db.selectFrom('nudge_preferences').select('next_check_at').where('user_id', '=', userId).executeTakeFirstOrThrow()).next_check_at;
  const settle = () => new Promise((r) => setTimeout(r, 400));

  beforeAll(async () => {
    h = await startRecommenderHarness({ label: 'recommender-nudges', clock, env: nudgeEnv });
    h.profile.features = [{ name: 'preferred_hour', value: 9, status: 'fresh' }];
    for (const user of ['nina', 'quinn', 'otto']) await seedTask(user, `${user}-report`);
    await prefer('nina', { channels: ['in_app', 'push', 'email'], cadence: 'low' });
    await prefer('quinn', { channels: ['email'], cadence: 'low', quiet: ['08:00', '10:00'] });
    await prefer('otto', { channels: ['push'], cadence: 'off' });
  });
  afterAll(() => h.stop());

  it('waits for the preferred hour on the user’s wall clock, then nudges once with the decision’s channel', async () => {
    await eventually(async () => ((await nextCheck('nina')).getTime() === Date.parse('2026-12-03T08:00:00Z') ? true : undefined), 'the check planned for 09:00 in Berlin');
    expect(await requestsFor('nina')).toEqual([]);

    now = new Date('2026-12-03T08:10:00Z'); // 09:10 in Berlin
    const request = await eventually(async () => (await requestsFor('nina'))[0], 'a nudge for nina');
    expect(request).toMatchObject({ userId: 'nina', channels: ['push', 'email'] });
    expect(request.notAfter && timestampDate(request.notAfter)).toEqual(new Date('2026-12-03T09:00:00Z'));

    const decision = await h.db.selectFrom('decisions').selectAll().where('decision_id', '=', request.decisionId).executeTakeFirstOrThrow();
    // The tip requested is the decision's choice (the fake policy may pick advice over the task).
    expect(decision).toMatchObject({ user_id: 'nina', channel: 'push', tip_id: request.tipId, tip_title: request.title, tip_body: request.body, delivery_status: null });
    expect(decision.context).toMatchObject({ channel: 'push', timezone: 'Europe/Berlin', localHour: 9 });
    const served = await eventually(async () => (await h.eventsOn('signals.tip.served')).find((e) => e.message.decisionId === request.decisionId), 'the served event');
    expect(served.message.context?.channel).toBe('push');
    // Next look: tomorrow's 09:00 is beyond the six-hour gap, so six hours on.
    await eventually(async () => ((await nextCheck('nina')).getTime() === Date.parse('2026-12-03T14:10:00Z') ? true : undefined), 'the next check');
  });

  it('runs a slot once, even when two instances look at the user again within it', async () => {
    const second = await h.startInstance({ clock, env: nudgeEnv });
    try {
      for (let i = 0; i < 3; i++) {
        // As if a lease had run out mid-run: the user is due again in the same slot.
        await h.db.updateTable('nudge_preferences').set({ next_check_at: new Date(now.getTime() - 1000) }).where('user_id', '=', 'nina').execute();
        await eventually(async () => ((await nextCheck('nina')) > now ? true : undefined), 'the user looked at again');
      }
      await settle();
      expect(await requestsFor('nina')).toHaveLength(1);
      expect(await h.db.selectFrom('nudge_slots').select(['slot', 'outcome']).where('user_id', '=', 'nina').execute()).toEqual([{ slot: '2026-12-03T09', outcome: 'requested' }]);
    } finally {
      await second.stop();
    }
  });

  it('never nudges inside quiet hours or with cadence off', async () => {
    await settle();
    expect(await requestsFor('quinn')).toEqual([]);
    expect(await requestsFor('otto')).toEqual([]);
    // quinn's 09:00 is quiet; the next check is no later than six hours on.
    expect((await nextCheck('quinn')).getTime()).toBeLessThanOrEqual(now.getTime() + 6 * 3_600_000);
    expect((await nextCheck('otto')).getTime()).toBeLessThan(now.getTime()); // never leased: off
  });

  it('records what the notifier reported on the decision, and counts done per channel for admins', async () => {
    const request = await eventually(async () => (await requestsFor('nina'))[0], 'the nudge for nina');
    const decisionId = request.decisionId;
    await h.publish('signals.notification.failed', create(NotificationFailedSchema, { deliveryId: 'd1', decisionId, userId: 'nina', channel: 'push', reason: 'refused', failedAt: timestampFromDate(now) }), 'nina');
    await h.publish('signals.notification.delivered', create(NotificationDeliveredSchema, { deliveryId: 'd1', decisionId, userId: 'nina', channel: 'email', attempts: 2, deliveredAt: timestampFromDate(now) }), 'nina');
    await eventually(async () => {
      const row = await h.db.selectFrom('decisions').select(['delivery_status', 'delivery_channel']).where('decision_id', '=', decisionId).executeTakeFirstOrThrow();
      return row.delivery_status === 'delivered' ? row : undefined;
    }, 'the delivery on the decision');

    // The link opens the tip; the reaction is ordinary feedback.
    const tip = await h.call('GET', `/v1/tips/${decisionId}`, 'nina');
    expect(tip).toMatchObject({ status: 200, body: { decisionId, channel: 'push', reaction: null, tip: { id: request.tipId, title: request.title } } });
    expect((await h.call('GET', `/v1/tips/${decisionId}`, 'quinn')).status).toBe(404);
    expect((await h.call('POST', `/v1/tips/${decisionId}/feedback`, 'nina', { reaction: 'done' })).status).toBe(202);

    const admin = await h.tokenFor('root', { roles: ['admin'] });
    const res = await fetch(`${h.baseUrl}/v1/admin/nudges/outcomes?since=2026-12-01T00:00:00Z`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await res.json()).toEqual({ since: '2026-12-01T00:00:00.000Z', channels: [{ channel: 'email', nudges: 1, delivered: 1, failed: 0, done: 1, snoozed: 0, dismissed: 0, doneRate: 1 }] });
    expect((await h.call('GET', '/v1/admin/nudges/outcomes', 'nina')).status).toBe(403);
    expect((await fetch(`${h.baseUrl}/v1/admin/nudges/outcomes?since=yesterday`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(400);
  });
});
