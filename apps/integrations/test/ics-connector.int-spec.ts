import { icsCalendar, icsComponent, icsText, startIcsServer, type IcsServer } from '@oo/provider-servers';
import { ConnectorError, type ChangePage, type TaskChange } from '../src/features/connectors/connector';
import { BUSY_REFRESH_MS, createIcsConnector } from '../src/features/connectors/ics/ics.connector';

const T0 = Date.parse('2025-03-24T08:00:00.000Z'); // a Monday
const HOUR = 3_600_000;

const todo = (uid: string, summary: string, extra: Record<string, string> = {}) => icsComponent('VTODO', { UID: uid, DTSTAMP: '20250301T000000Z', SUMMARY: icsText(summary), ...extra });
const event = (uid: string, summary: string, extra: Record<string, string>) => icsComponent('VEVENT', { UID: uid, DTSTAMP: '20250301T000000Z', SUMMARY: icsText(summary), ...extra });

const FIRST_FEED = icsCalendar(
  todo('passport', 'Renew the passport', { PRIORITY: '1', 'DUE;VALUE=DATE': '20250401' }),
  todo('bins', 'Put out the bins', { 'DUE;TZID=Europe/Berlin': '20250325T070000' }),
  todo('plants', 'Water the plants'),
  todo('old', 'Already done', { STATUS: 'COMPLETED', COMPLETED: '20250320T100000Z' }),
  event('standup', 'Stand-up', { 'DTSTART;TZID=Europe/Berlin': '20250317T093000', 'DTEND;TZID=Europe/Berlin': '20250317T094500', RRULE: 'FREQ=WEEKLY;BYDAY=MO' }),
  event('lunch', 'Lunch (free)', { DTSTART: '20250324T120000Z', DTEND: '20250324T130000Z', TRANSP: 'TRANSPARENT' }),
);

async function setUp() {
  let clock = T0;
  const calendar = await startIcsServer({ token: 'shared-secret', clock: () => new Date(clock) });
  const url = calendar.setFeed('/work.ics', FIRST_FEED);
  const connector = createIcsConnector({ timeoutMs: 5_000, maxBytes: 64 * 1024 });
  const sync = (cursor: string | null, feedUrl = url) => connector.listChanges({ cursor, accessToken: null, settings: { url: feedUrl }, timeZone: 'Europe/Berlin', now: new Date(clock) });
  return { calendar, url, connector, sync, advance: (ms: number) => (clock += ms) };
}

const summary = (changes: TaskChange[]) => changes.map((c) => (c.kind === 'upsert' ? `upsert ${c.task.externalId}: ${c.task.title}` : `delete ${c.externalId}`)).sort();
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof ConnectorError ? error : Promise.reject(error)));

describe('ics connector against a local calendar host', () => {
  let ctx: Awaited<ReturnType<typeof setUp>>;
  let calendar: IcsServer;
  beforeEach(async () => {
    ctx = await setUp();
    calendar = ctx.calendar;
  });
  afterEach(() => calendar.stop());

  it('reads the whole feed first: open tasks, completed ones as deletes, and the busy times ahead', async () => {
    const page = await ctx.sync(null);
    expect(summary(page.changes)).toEqual(['delete old', 'upsert bins: Put out the bins', 'upsert passport: Renew the passport', 'upsert plants: Water the plants']);
    expect(page.changes).toContainEqual({
      kind: 'upsert',
      task: expect.objectContaining({ externalId: 'passport', priority: 1, dueAt: new Date('2025-03-31T22:00:00Z'), dueAllDay: true }),
    });
    expect(page.changes).toContainEqual({ kind: 'upsert', task: expect.objectContaining({ externalId: 'bins', dueAt: new Date('2025-03-25T06:00:00Z'), dueAllDay: false }) });
    expect(page).toMatchObject({ complete: true, more: false });
    // The 31st is in summer time: the stand-up stays at 09:30 in Berlin, an hour earlier in UTC.
    expect(page.busy?.map((b) => [b.externalId, b.startsAt.toISOString(), b.title])).toEqual([
      ['standup#2025-03-24T08:30:00.000Z', '2025-03-24T08:30:00.000Z', 'Stand-up'],
      ['standup#2025-03-31T07:30:00.000Z', '2025-03-31T07:30:00.000Z', 'Stand-up'],
      ['standup#2025-04-07T07:30:00.000Z', '2025-04-07T07:30:00.000Z', 'Stand-up'],
    ]);
    expect(JSON.parse(page.cursor ?? '')).toMatchObject({ v: 1, etag: expect.stringMatching(/^".+"$/), lastModified: new Date(T0).toUTCString(), readAt: new Date(T0).toISOString() });
    expect(page.cursor).not.toContain('shared-secret');
  });

  it('asks conditionally next time, and an unchanged feed is a page without changes that keeps the busy times', async () => {
    const first = await ctx.sync(null);
    ctx.advance(5 * 60_000);
    const second = await ctx.sync(first.cursor);
    expect(second).toEqual({ changes: [], complete: false, cursor: first.cursor, more: false });
    expect(calendar.requests).toMatchObject({ total: 2, notModified: 1 });
  });

  it('reads the feed in full again once the busy times are due for a refresh, though it did not change', async () => {
    const first = await ctx.sync(null);
    ctx.advance(BUSY_REFRESH_MS + HOUR);
    const later = await ctx.sync(first.cursor);
    expect(later.complete).toBe(true);
    expect(later.busy?.[0]?.startsAt).toEqual(new Date('2025-03-31T07:30:00Z'));
    expect(calendar.requests.notModified).toBe(0);
  });

  it('reads a changed feed in full: edits are upserts, completions deletes, and a vanished task is simply not listed', async () => {
    const first = await ctx.sync(null);
    ctx.advance(HOUR);
    calendar.setFeed(
      '/work.ics',
      icsCalendar(
        todo('passport', 'Renew the passport and the ID card', { PRIORITY: '5', 'DUE;VALUE=DATE': '20250401' }),
        todo('bins', 'Put out the bins', { STATUS: 'COMPLETED', COMPLETED: '20250324T085000Z' }),
        todo('tax', 'File the tax return', { PRIORITY: '9' }),
      ),
    );
    const page = await ctx.sync(first.cursor);
    expect(summary(page.changes)).toEqual(['delete bins', 'upsert passport: Renew the passport and the ID card', 'upsert tax: File the tax return']);
    expect(page.complete).toBe(true);
    expect(page.busy).toEqual([]);
    expect(page.cursor).not.toEqual(first.cursor);
    expect(calendar.requests.notModified).toBe(0);
  });

  it('passes on a 429 with its Retry-After, and a 5xx as unavailable, keeping nothing from them', async () => {
    calendar.failNext({ status: 429, retryAfter: 120 });
    expect(await failureOf(ctx.sync(null))).toMatchObject({ failure: 'rate_limited', status: 429, retryAfterMs: 120_000 });
    calendar.failNext({ status: 503, times: 2 });
    expect(await failureOf(ctx.sync(null))).toMatchObject({ failure: 'unavailable', status: 503 });
    expect(await failureOf(ctx.sync(null))).toMatchObject({ failure: 'unavailable', status: 503 });
    expect((await ctx.sync(null)).complete).toBe(true);
  });

  it('tells the user to paste a new feed URL once the secret address was reset', async () => {
    calendar.requireToken('new-secret');
    const error = await failureOf(ctx.sync(null));
    expect(error).toMatchObject({ failure: 'auth', status: 403 });
    expect(error?.message).toMatch(/paste/);
    expect(error?.message).not.toContain('shared-secret');
  });

  it('finds a feed gone (404) invalid', async () => {
    calendar.removeFeed('/work.ics');
    expect(await failureOf(ctx.sync(null))).toMatchObject({ failure: 'invalid', status: 404 });
  });

  it('refuses a feed larger than the limit, whether it says so up front or streams', async () => {
    const big = icsCalendar(...Array.from({ length: 600 }, (_, i) => todo(`t${i}`, `Task number ${i} with a long enough title`)));
    expect(Buffer.byteLength(big)).toBeGreaterThan(64 * 1024);
    const declared = calendar.setFeed('/big.ics', big);
    const streamed = calendar.setFeed('/streamed.ics', big, { chunked: true });
    for (const url of [declared, streamed]) {
      const error = await failureOf(ctx.sync(null, url));
      expect(error).toMatchObject({ failure: 'invalid' });
      expect(error?.message).toMatch(/larger than 64 KiB/);
    }
  });

  it('finds a body that is not a calendar invalid, and says what it was', async () => {
    const page = calendar.setFeed('/login.ics', '<!doctype html><title>Sign in</title>', { contentType: 'text/html' });
    expect(await failureOf(ctx.sync(null, page))).toMatchObject({ failure: 'invalid', message: expect.stringMatching(/web page/) });
    const garbage = calendar.setFeed('/garbage.ics', 'BEGIN:VCALENDAR\r\nnot a content line\r\nEND:VCALENDAR\r\n');
    expect(await failureOf(ctx.sync(null, garbage))).toMatchObject({ failure: 'invalid', message: expect.stringMatching(/not valid iCalendar/) });
  });

  it('does not use validators stored for another feed URL', async () => {
    const first: ChangePage = await ctx.sync(null);
    const other = calendar.setFeed('/home.ics', FIRST_FEED);
    const page = await ctx.sync(first.cursor, other);
    expect(page.complete).toBe(true);
    expect(calendar.requests.notModified).toBe(0);
  });
});
