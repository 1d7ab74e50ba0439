import { icsCalendar, icsComponent, icsText, icsUtc, startIcsServer, type IcsServer } from '@oo/provider-servers';
import { eventually } from '@oo/testing';
import { connectionWhen, liveTitles, startWithProviders } from './support/integrations-system';

const HOUR = 3_600_000;
const todo = (uid: string, summary: string, extra: Record<string, string> = {}) => icsComponent('VTODO', { UID: uid, DTSTAMP: '20261201T000000Z', SUMMARY: icsText(summary), ...extra });
const meeting = (uid: string, startsAt: Date, extra: Record<string, string> = {}) =>
  icsComponent('VEVENT', { UID: uid, DTSTAMP: '20261201T000000Z', SUMMARY: 'Meeting', DTSTART: icsUtc(startsAt), DTEND: icsUtc(new Date(startsAt.getTime() + HOUR)), ...extra });

// A calendar feed through the service: added by URL, its to-dos as tasks and its events as busy
// times (published as times only), unchanged feeds answered 304, a vanished to-do deleted, and a
// feed that disappears at its host shown as the connection's error.
describe('integrations: a calendar feed', () => {
  let s: Awaited<ReturnType<typeof startWithProviders>>;
  let host: IcsServer;
  let connectionId: string;
  const soon = new Date(Date.now() + 2 * HOUR);
  const syncNow = async () => {
    const before = Date.now();
    await s.h.call('POST', `/v1/integrations/connections/${connectionId}/sync`, 'ada');
    return connectionWhen(s.h, connectionId, 'the sync to finish', (row) => ((row['last_sync_at'] as Date | null)?.getTime() ?? 0) >= before - 5 && row['lease_owner'] === null);
  };

  beforeAll(async () => {
    s = await startWithProviders('ics-sync', { ICS_ALLOW_PRIVATE_NETWORKS: 'true' });
    host = await startIcsServer();
  });
  afterAll(async () => {
    await host?.stop();
    await s?.stop();
  });

  it('adds a feed: its open to-dos become tasks and its events busy times, published without titles', async () => {
    const url = host.setFeed('/ada/private.ics', icsCalendar(todo('tax', 'File taxes', { PRIORITY: '1', 'DUE;VALUE=DATE': '20261215' }), todo('done', 'Old', { STATUS: 'COMPLETED' }), meeting('m1', soon)));
    const before = Date.now();
    const added = await s.h.call('POST', '/v1/integrations/feeds', 'ada', { url, timeZone: 'Europe/Berlin' });
    expect(added).toMatchObject({ status: 201, body: { provider: 'ics', label: expect.stringMatching(/^127\.0\.0\.1:\d+\/ada\/private…$/) } });
    connectionId = added.body['id'] as string;
    const row = await connectionWhen(s.h, connectionId, 'the first fetch', (r) => ((r['last_success_at'] as Date | null)?.getTime() ?? 0) > before);
    expect({ items: row['item_count'], busy: row['busy_count'] }).toEqual({ items: 1, busy: 1 });
    expect(await liveTitles(s.h, 'ada')).toEqual(['File taxes']);
    const [busy] = await eventually(async () => {
      const events = await s.h.eventsOn('signals.calendar.busy');
      return events.length > 0 ? events : undefined;
    }, 'the busy times on the stream');
    expect(busy?.message.intervals.map((i) => Number(i.startsAt?.seconds) * 1000)).toEqual([Math.floor(soon.getTime() / 1000) * 1000]);
    expect(busy?.message.connectionId).toBe(connectionId);
  });

  it('answers an unchanged feed with a conditional GET (304), changing nothing', async () => {
    const notModified = host.requests.notModified;
    await syncNow();
    expect(host.requests.notModified).toBe(notModified + 1);
    expect((await s.h.eventsOn('signals.calendar.busy')).length).toBe(1);
  });

  it('deletes a to-do that is gone from the feed and replaces the busy times', async () => {
    host.setFeed('/ada/private.ics', icsCalendar(todo('bins', 'Put out the bins'), meeting('m2', new Date(soon.getTime() + HOUR))));
    await syncNow();
    expect(await liveTitles(s.h, 'ada')).toEqual(['Put out the bins']);
    const deleted = await eventually(async () => {
      const events = await s.h.eventsOn('signals.task.deleted');
      return events.length > 0 ? events : undefined;
    }, 'the deletion on the stream');
    expect(deleted.map((e) => e.message.source)).toEqual(['ics']);
    await eventually(async () => ((await s.h.eventsOn('signals.calendar.busy')).length === 2 ? true : undefined), 'the new busy times on the stream');
  });

  it('shows a feed removed at its host as the connection’s error, keeping its tasks', async () => {
    host.removeFeed('/ada/private.ics');
    await syncNow();
    const view = await s.h.call('GET', `/v1/integrations/connections/${connectionId}`, 'ada');
    expect(view.body).toMatchObject({ status: 'error', lastError: expect.stringMatching(/.+/) });
    expect(JSON.stringify(view.body)).not.toContain('private.ics');
    expect(await liveTitles(s.h, 'ada')).toEqual(['Put out the bins']);
  });

  it('removing the feed deletes its tasks and publishes empty busy times', async () => {
    expect((await s.h.call('DELETE', `/v1/integrations/connections/${connectionId}`, 'ada')).body).toEqual({ revokedAtProvider: false });
    expect(await liveTitles(s.h, 'ada')).toEqual([]);
    const last = await eventually(async () => {
      const events = await s.h.eventsOn('signals.calendar.busy');
      return events.length === 3 ? events.at(-1) : undefined;
    }, 'the emptied busy times on the stream');
    expect(last?.message.intervals).toEqual([]);
  });
});
