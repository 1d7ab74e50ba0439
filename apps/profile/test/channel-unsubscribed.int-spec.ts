import { create, fromBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ChannelUnsubscribedSchema, PreferencesUpdatedSchema } from '@oo/contracts';
import { eventually } from '@oo/testing';
import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

// A one-click unsubscribe in an e-mail (the notifier's `notify.unsubscribed`) turns the channel off
// in the user's preferences, announced like any change; a choice saved after the click stands.
describe('notify.unsubscribed', () => {
  let h: ProfileHarness;
  let now = new Date('2026-12-03T10:00:00Z');
  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-unsubscribed', clock: () => now });
  });
  afterAll(() => h?.stop());

  const preferencesOf = async (userId: string) => {
    const res = await fetch(`${h.baseUrl}/v1/profiles/${userId}/preferences`, { headers: { authorization: `Bearer ${await h.tokenFor(userId)}` } });
    return (await res.json()) as { channels: string[]; updatedAt: string | null };
  };
  const save = async (userId: string, channels: string[]) => {
    const res = await fetch(`${h.baseUrl}/v1/profiles/${userId}/preferences`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await h.tokenFor(userId)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ timezone: 'Europe/Berlin', channels, tipCadence: 'normal' }),
    });
    expect(res.status).toBe(200);
  };
  const unsubscribed = (userId: string, channel: string, at: Date) =>
    h.publish('notify.unsubscribed', create(ChannelUnsubscribedSchema, { userId, channel, unsubscribedAt: timestampFromDate(at) }), userId);
  const lastAnnounced = async (userId: string) => {
    const stored = await h.bus.jsm.streams.getMessage(`${h.bus.prefix}_PROFILE`, { last_by_subj: `${h.bus.prefix}.profile.preferences.updated` }).catch(() => undefined);
    const message = stored && fromBinary(PreferencesUpdatedSchema, stored.data);
    return message?.userId === userId ? message : undefined;
  };

  it('removes the channel and announces the new preferences', async () => {
    await save('ulla', ['in_app', 'push', 'email']);
    now = new Date('2026-12-03T11:00:00Z');
    await unsubscribed('ulla', 'email', new Date('2026-12-03T10:30:00Z'));
    await eventually(async () => ((await preferencesOf('ulla')).channels.includes('email') ? undefined : true), 'email turned off');
    expect(await preferencesOf('ulla')).toMatchObject({ channels: ['in_app', 'push'], updatedAt: '2026-12-03T11:00:00.000Z' });
    const announced = await eventually(async () => {
      const m = await lastAnnounced('ulla');
      return m && !m.channels.includes('email') ? m : undefined;
    }, 'the change announced');
    expect(announced).toMatchObject({ userId: 'ulla', channels: ['in_app', 'push'], timezone: 'Europe/Berlin' });
  });

  it('leaves alone preferences saved after the click', async () => {
    now = new Date('2026-12-03T12:00:00Z');
    await save('vera', ['in_app', 'email']);
    const before = await h.handled('profile__channel_unsubscribed');
    await unsubscribed('vera', 'email', new Date('2026-12-03T11:59:00Z'));
    // A later event of a user who never had the channel changes nothing either.
    await unsubscribed('vera', 'push', new Date('2026-12-03T12:30:00Z'));
    await eventually(async () => ((await h.handled('profile__channel_unsubscribed')) === before + 2 ? true : undefined), 'both events handled');
    expect(await preferencesOf('vera')).toMatchObject({ channels: ['in_app', 'email'], updatedAt: '2026-12-03T12:00:00.000Z' });
  });
});
