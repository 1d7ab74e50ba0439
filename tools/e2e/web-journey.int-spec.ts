// A person's whole journey through the web app on a fresh system, in Debian's Chromium: sign in at
// the local identity provider, the empty state, a manual task, a tip about it, done, history, the
// time zone, web push (a real nudge from the notifier shown by the app's service worker), a data
// export and the account's deletion with its receipts. Every main screen is screenshotted at phone
// and desktop width and checked by axe; any console or page error fails the test it happened in.
import { startPushService, type PushService } from '@oo/provider-servers';
import { Client } from 'pg';
import { eventually, testDatabaseUrl } from '@oo/testing';
import type { Browser, BrowserContext } from 'playwright-core';
import { ensureWebBuild } from '../start/web-build';
import type { RunningSystem } from '../system/launch-system';
import { inspectScreen, launchChromium, signInThroughIdp, VIEWPORTS, watchedPage, type WatchedPage } from './browser-support';
import { deliverPush, serviceWorkerOf, shownNotifications, useLocalPushService } from './browser-push';
import { SERVICE_WAIT_MS } from './e2e-support';
import { launchSystemOnClock, movableClock } from './test-clock-system';

jest.setTimeout(240_000);

// 05:10 UTC: no advice of the library applies between 05:00 and 06:00, so a fresh user has nothing to be suggested.
const clock = movableClock();
const BROWSER_ZONE = 'Europe/London';
const TASK = 'Send the invoice to Acme';
// Sagas across every service (export, deletion) on a loaded machine.
const SLOW_WAIT_MS = 60_000;

let push: PushService;
let system: RunningSystem & { prefix: string };
let browser: Browser;
let context: BrowserContext;
let watched: WatchedPage;
const subscription = { current: undefined as ReturnType<PushService['createSubscription']> | undefined };

beforeAll(async () => {
  ensureWebBuild((line) => console.log(line));
  push = await startPushService();
  clock.moveTo(5, 10);
  [system, browser] = await Promise.all([
    launchSystemOnClock('web-journey', clock, { NUDGE_TICK_MS: '100', DISPATCH_TICK_MS: '100', PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' }),
    launchChromium(),
  ]);
  context = await browser.newContext({ baseURL: system.identity.publicUrl, viewport: VIEWPORTS.desktop, timezoneId: BROWSER_ZONE, acceptDownloads: true });
  await context.grantPermissions(['notifications'], { origin: system.identity.publicUrl });
  subscription.current = push.createSubscription();
  await useLocalPushService(context, subscription.current);
  watched = await watchedPage(context, system.identity.publicUrl);
});

afterEach(() => {
  // When beforeAll failed there is no page, and its own error is the one to read.
  expect(watched?.problems() ?? []).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await system?.stop();
  await push?.stop();
});

it('signs in through the local identity provider and says what to do when there is nothing to suggest', async () => {
  const { page } = watched;
  await page.goto('/');
  await page.getByRole('heading', { name: 'oO' }).waitFor();
  expect(await inspectScreen(page, 'sign-in')).toEqual([]);
  await signInThroughIdp(page, 'web-ada');
  expect(new URL(page.url()).pathname).toBe('/now');
  await page.getByRole('heading', { name: 'Nothing to suggest right now' }).waitFor();
  await expectVisible(page.getByRole('link', { name: 'Add a task or connect a source' }));
  expect(await inspectScreen(page, 'now-empty')).toEqual([]);
});

it('adds a manual task, suggests it with the reason, and after done brings the next tip without a page load', async () => {
  const { page } = watched;
  await page.getByRole('link', { name: 'Add a task or connect a source' }).click();
  await page.getByLabel('Task', { exact: true }).fill(TASK);
  await page.getByLabel('Priority').selectOption({ label: 'Urgent' });
  await page.getByRole('button', { name: 'Add task' }).click();
  await page.getByRole('heading', { name: TASK }).waitFor();

  // A refusal is shown in words: integrations' problem detail, not a status code.
  watched.allow(/^400 .*\/v1\/me\/feeds$/);
  await page.getByLabel('Calendar address (iCal URL)').fill('https://ada:secret@calendar.example/basic.ics');
  await page.getByRole('button', { name: 'Add calendar' }).click();
  await page.getByRole('alert').filter({ hasText: 'Adding the calendar failed: put no user name or password in the feed URL' }).waitFor();
  expect(await inspectScreen(page, 'sources')).toEqual([]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Now' }).click();
  const tip = page.locator('article.tip');
  await tip.getByRole('heading', { name: TASK }).waitFor({ timeout: SERVICE_WAIT_MS });
  await expectVisible(tip.getByText('A task of yours'));
  await expectVisible(tip.getByText(/Why this:.*waited/));
  expect(await inspectScreen(page, 'now-tip')).toEqual([]);

  const first = await tip.getAttribute('data-decision');
  // A marker on the window: a page load would lose it.
  await page.evaluate('window.__ooSamePage = true');
  await page.keyboard.press('d');
  await eventually(async () => ((await tip.getAttribute('data-decision').catch(() => null)) ?? first) !== first || undefined, 'the next tip', SERVICE_WAIT_MS, 100);
  expect(await page.evaluate<boolean>('window.__ooSamePage === true')).toBe(true);

  // The closing note's figure: a full page load on a warm system until the tip is on screen.
  const loadStarted = Date.now();
  await page.goto('/now');
  await tip.getByRole('heading', { name: TASK }).waitFor();
  console.log(`time to the first tip on a warm system (page load to tip shown): ${Date.now() - loadStarted} ms`);

  await page.getByRole('link', { name: 'History' }).click();
  const entry = page.getByRole('listitem').filter({ hasText: TASK }).filter({ hasText: 'Done' });
  await entry.first().waitFor();
  await page.getByLabel('Show').selectOption('dismiss');
  await page.getByText('No tip matches this filter.').waitFor();
  await page.getByLabel('Show').selectOption('done');
  await entry.first().waitFor();
  expect(await inspectScreen(page, 'history')).toEqual([]);
});

it('changes the time zone to the one the browser detected', async () => {
  const { page } = watched;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByText(`This browser is in ${BROWSER_ZONE}.`).waitFor();
  expect(await page.getByLabel('Time zone').inputValue()).toBe('UTC');
  await page.getByRole('button', { name: `Use ${BROWSER_ZONE}` }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Saved. Your time zone is ${BROWSER_ZONE}.`).waitFor();
  await page.reload();
  await page.getByText(`This browser is in ${BROWSER_ZONE}.`).waitFor();
  expect(await page.getByLabel('Time zone').inputValue()).toBe(BROWSER_ZONE);
  expect(await inspectScreen(page, 'settings')).toEqual([]);
});

it("enables push: the service worker registers, the notifier's nudge is shown, and its link opens that tip", async () => {
  const { page } = watched;
  const worker = await serviceWorkerOf(page);
  await page.getByRole('button', { name: 'Enable push notifications' }).click();
  await page.getByText('Push is on for this browser.').waitFor();
  const scope = await page.evaluate<string>(`navigator.serviceWorker.getRegistration('/').then((r) => (r && r.active ? r.scope : ''))`);
  expect(scope).toBe(`${system.identity.publicUrl}/`);

  // The recommender and the notifier learn of the channel and the consent by events: the slot must
  // not come before they have.
  const userId = await page.evaluate<string>(`fetch('/v1/me', { credentials: 'include' }).then((r) => r.json()).then((me) => me.id)`);
  await eventually(() => pushKnownEverywhere(userId), 'the push channel and consent projected', SERVICE_WAIT_MS, 200);

  // 09:05 in London (UTC in winter): a new user's preferred hour, so the recommender nudges.
  clock.moveTo(9, 5);
  const endpoint = subscription.current?.endpoint ?? '';
  const message = await eventually(async () => push.messages(endpoint)[0], 'the nudge pushed', SERVICE_WAIT_MS, 100);
  const payload = message.payload as { title: string; decisionId: string };
  const registrationId = await eventually(async () => worker.registrationId(), 'the service worker registration', SERVICE_WAIT_MS, 100);
  // Delivered again while nothing is shown: under load the worker may not have been running to
  // take the first delivery (a browser retries a push service's message the same way).
  const [shown] = await eventually(
    async () => {
      const now = await shownNotifications(page);
      if (now.length > 0) return now;
      await deliverPush(worker.cdp, system.identity.publicUrl, registrationId, message.payload);
      return undefined;
    },
    'the notification shown',
    SERVICE_WAIT_MS,
    1_000,
  );
  expect(shown?.title).toBe(payload.title);

  // What a click opens (the worker's notificationclick goes to this target).
  await page.goto(shown?.target ?? '/');
  await page.locator(`article.tip[data-decision="${payload.decisionId}"]`).getByRole('heading', { name: payload.title }).waitFor();
});

it('exports my data: the progress of every service, then the archive', async () => {
  const { page } = watched;
  await page.getByRole('link', { name: 'Privacy' }).click();
  await page.getByText(/^Profile features/).waitFor();
  await page.getByRole('button', { name: 'Export my data' }).click();
  const link = page.getByRole('link', { name: 'Download the archive' });
  // Every service sends its part over the bus: on two shared cores that can take a while.
  await link.waitFor({ timeout: SLOW_WAIT_MS });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const saved = await download.path();
  expect(saved).toBeTruthy();
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  expect(await inspectScreen(page, 'privacy')).toEqual([]);
});

it('deletes the account and shows every receipt complete', async () => {
  const { page } = watched;
  await page.getByLabel(/Type delete to confirm/).fill('delete');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('heading', { name: 'Your account is being deleted' }).waitFor();
  await page.getByText('Deletion complete').waitFor({ timeout: SLOW_WAIT_MS });
  const receipts = await page.getByRole('list', { name: 'Receipts' }).getByRole('listitem').allTextContents();
  expect(receipts.length).toBeGreaterThanOrEqual(5);
  expect(receipts.every((r) => /erased/.test(r))).toBe(true);
  expect(await inspectScreen(page, 'deleted')).toEqual([]);
});

// True once the recommender's nudge preferences and the notifier's rules both have push for the user.
async function pushKnownEverywhere(userId: string): Promise<true | undefined> {
  const db = new Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  try {
    const schema = (service: string) => `"${system.prefix}_${service}"`;
    const nudges = await db.query(
      `select 1 from ${schema('recommender')}.nudge_preferences n join ${schema('recommender')}.user_timezones z using (user_id) where user_id = $1 and 'push' = any(n.channels) and z.timezone = $2`,
      [userId, BROWSER_ZONE],
    );
    const rules = await db.query(`select 1 from ${schema('notifier')}.preferences where user_id = $1 and 'push' = any(channels)`, [userId]);
    const consent = await db.query(`select 1 from ${schema('notifier')}.consents where user_id = $1 and purpose = 'push_notifications' and granted`, [userId]);
    return nudges.rowCount && rules.rowCount && consent.rowCount ? true : undefined;
  } finally {
    await db.end();
  }
}

async function expectVisible(locator: { isVisible(): Promise<boolean> }): Promise<void> {
  expect(await locator.isVisible()).toBe(true);
}
