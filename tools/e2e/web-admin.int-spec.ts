// The admin console in Debian's Chromium on a fresh system: a simulated population runs first
// (`npm run simulate`, signed in through the gateway), one person uses oO through the API; then
// the admin signs in at the local identity provider, opens that person, rebuilds their features,
// sees their decisions with every candidate's probabilities, the learning chart with the
// off-policy estimates, data quality and the consumers' lag. Screens are screenshotted and
// checked by axe; any console or page error fails the test it happened in.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, testNatsUrl } from '@oo/testing';
import type { Browser, BrowserContext } from 'playwright-core';
import { ROOT } from '../services';
import { DEV_ADMIN_NAME } from '../system/dev-identity';
import type { RunningSystem } from '../system/launch-system';
import { ensureWebBuild } from '../start/web-build';
import { inspectScreen, launchChromium, signInThroughIdp, VIEWPORTS, watchedPage, type WatchedPage } from './browser-support';
import { call, launchTestSystem, SERVICE_WAIT_MS } from './e2e-support';

jest.setTimeout(300_000);

let system: RunningSystem & { prefix: string };
let browser: Browser;
let context: BrowserContext;
let watched: WatchedPage;
let personId: string;

beforeAll(async () => {
  ensureWebBuild((line) => console.log(line));
  // Loosened upstream deadlines: every service, Postgres, NATS and the simulated users share two cores.
  [system, browser] = await Promise.all([launchTestSystem('web-admin', { ML_TIMEOUT_MS: '250', PROFILE_TIMEOUT_MS: '250' }), launchChromium()]);
  context = await browser.newContext({ baseURL: system.identity.publicUrl, viewport: VIEWPORTS.desktop });
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
});

it('runs a simulated population and one person through the gateway', async () => {
  const env = { ...process.env, NATS_URL: testNatsUrl(), STREAM_PREFIX: system.prefix };
  const args = ['ml/pipelines/src/simulate/main.ts', '--json', '--decisions', '240', '--users', '8', '--window', '60', '--seed', '5', '--concurrency', '4'];
  const urls = ['--recommender', system.url('recommender'), '--profile', system.url('profile'), '--gateway', system.url('gateway')];
  const { stdout } = await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), [...args, ...urls], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  expect((JSON.parse(stdout) as { decisions: number }).decisions).toBe(240);

  const gateway = system.url('gateway');
  const person = await system.signIn('web-bea');
  personId = person.userId;
  expect((await call('POST', `${gateway}/v1/me/tasks`, person.accessToken, { title: 'Book the dentist', priority: 2 })).status).toBe(201);
  const tip = await eventually(async () => {
    const res = await call('POST', `${gateway}/v1/tips`, person.accessToken);
    return res.status === 200 ? (res.body as { decisionId: string }) : undefined;
  }, 'a tip for the person', SERVICE_WAIT_MS, 200);
  expect((await call('POST', `${gateway}/v1/tips/${tip.decisionId}/feedback`, person.accessToken, { reaction: 'done' })).status).toBe(202);
});

it('signs the admin in, opens the person, rebuilds their features and shows their decisions', async () => {
  const { page } = watched;
  await page.goto('/');
  await signInThroughIdp(page, DEV_ADMIN_NAME);
  const admin = page.getByRole('navigation', { name: 'Admin console' });
  await admin.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('User id').fill(personId);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByRole('heading', { name: `User ${personId}` }).waitFor();
  await page.getByRole('region', { name: 'Profile features' }).getByRole('row').nth(1).waitFor();
  await page.getByRole('button', { name: 'Rebuild features' }).click();
  await page.getByText(/^Rebuilt \d+ features\.$/).waitFor();
  // Each feature's TTL from the registry (completion_rate_30d keeps 6 hours).
  const features = page.getByRole('region', { name: 'Profile features' });
  await features.getByRole('columnheader', { name: 'TTL' }).waitFor();
  expect(await features.getByRole('row', { name: /completion_rate_30d/ }).innerText()).toMatch(/\b6 hours\b/);
  // The person's one decision (the policy may have chosen advice over the task), with their reaction.
  const decision = page.getByRole('article', { name: /^Decision / });
  await decision.waitFor();
  expect(await decision.count()).toBe(1);
  expect(await decision.getByText('done', { exact: true }).count()).toBe(1);
  // Each candidate has the live policy's probability; the chosen one is marked with its propensity.
  expect(await decision.getByRole('cell', { name: /^yes \(p \d\.\d{3}\)$/ }).count()).toBe(1);
  expect(await inspectScreen(page, 'admin-user')).toEqual([]);
});

it('shows the learning curve and the off-policy estimates of every policy as charts', async () => {
  const { page } = watched;
  await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Learning' }).click();
  const curve = page.getByRole('img', { name: /Mean reward per window/ });
  await curve.waitFor({ timeout: SERVICE_WAIT_MS });
  expect(await curve.locator('circle').count()).toBeGreaterThan(0);
  const estimates = page.getByRole('img', { name: /Estimated reward per policy/ });
  await estimates.waitFor();
  const described = (await estimates.textContent()) ?? '';
  expect(described).toMatch(/live \d\.\d{3} \(/);
  expect(described).toMatch(/uniform \d\.\d{3} \(/);
  const decisions = Number(await page.getByRole('list', { name: 'Summary' }).getByRole('listitem').first().locator('strong').textContent());
  expect(decisions).toBeGreaterThanOrEqual(241);
  expect(await inspectScreen(page, 'admin-learning')).toEqual([]);
});

it('shows data quality per feature and every consumer with its lag', async () => {
  const { page } = watched;
  const admin = page.getByRole('navigation', { name: 'Admin console' });
  await admin.getByRole('link', { name: 'Data quality' }).click();
  await page.getByRole('region', { name: 'Data quality per feature' }).getByRole('row').nth(1).waitFor();
  expect(await inspectScreen(page, 'admin-data-quality')).toEqual([]);
  await admin.getByRole('link', { name: 'Events' }).click();
  const lag = page.getByRole('region', { name: 'Consumer lag' });
  await lag.getByRole('rowheader', { name: 'recommender__task_upserted' }).waitFor();
  await page.getByText('No consumer has given up on an event.').waitFor();
  expect(await inspectScreen(page, 'admin-events')).toEqual([]);
});
