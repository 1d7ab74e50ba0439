// A real browser for the web app's end-to-end tests: Debian's Chromium driven by playwright-core,
// every console error and page error recorded (a test fails on any it did not expect), axe-core
// for accessibility, and screenshots at phone and desktop width under .test-results/web/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../services';

export const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, '.test-results', 'web');

export const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 860 } } as const;

/** Headless Chromium with the flags this machine needs (no sandbox as root, no network of its own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page whose failures are kept: uncaught errors, console errors, failed requests. */
export interface WatchedPage {
  page: Page;
  /** What went wrong on the app's pages since the last call, less what was declared expected. */
  problems(): string[];
  /** Declares one more console error expected, e.g. `/^400 .*\/v1\/me\/feeds$/` for a refusal the test provokes. */
  allow(pattern: RegExp): void;
}

/**
 * Opens a page that records every page error and every console error on the app's origin. `expected` names console errors
 * the app causes on purpose — only the signed-out session probe's 401, which the browser logs as
 * a failed resource even though the app handles it.
 */
export async function watchedPage(context: BrowserContext, appOrigin: string, initiallyExpected: readonly RegExp[] = [/401 .*\/v1\/auth\/session$/]): Promise<WatchedPage> {
  const page = await context.newPage();
  const expected = [...initiallyExpected];
  let seen: string[] = [];
  // The identity provider's login page is not ours (its missing favicon is its own business).
  const onApp = () => page.url().startsWith(appOrigin);
  page.on('pageerror', (error) => seen.push(`page error on ${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || !onApp()) return;
    const line = `${message.text()} ${message.location().url}`;
    // Chromium writes a failed resource as "Failed to load resource: … status of 401 (Unauthorized)".
    const status = /status of (\d{3})/.exec(message.text())?.[1];
    const described = status ? `${status} ${message.location().url}` : line;
    if (!expected.some((pattern) => pattern.test(described))) seen.push(`console error: ${line}`);
  });
  return {
    page,
    allow: (pattern) => void expected.push(pattern),
    problems: () => {
      const found = seen;
      seen = [];
      return found;
    },
  };
}

/** The serious and critical accessibility violations axe finds on the page (WCAG 2.x A and AA). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/**
 * Checks one screen as people meet it: at phone and at desktop width, a full-page screenshot
 * each (kept as test artifacts), and axe at both widths. Returns every serious violation found.
 */
export async function inspectScreen(page: Page, name: string): Promise<string[]> {
  mkdirSync(SHOTS, { recursive: true });
  const found: string[] = [];
  const original = page.viewportSize();
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
    found.push(...(await seriousViolations(page)).map((v) => `${name} at ${label} width: ${v}`));
    // Responsive: nothing may force a sideways scroll of the whole page at this width.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    if (overflow > 1) found.push(`${name} at ${label} width: the page scrolls sideways by ${overflow}px`);
  }
  if (original) await page.setViewportSize(original);
  return found;
}

/** Signs in at the local identity provider's login page, from the app's own sign-in button. */
export async function signInThroughIdp(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.locator('input[name="name"]').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
