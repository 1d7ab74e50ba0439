import { CookieJar } from 'tough-cookie';

export interface DevIdpBrowserOptions {
  /** `sign-in` (the default) submits the name; `cancel` presses Cancel (the client gets `error=access_denied`). */
  action?: 'sign-in' | 'cancel';
  /** Extra request headers on every request, e.g. a user agent. */
  headers?: Record<string, string>;
}

const MAX_STEPS = 10;

function formAction(html: string, pattern: RegExp, pageUrl: string): string | undefined {
  for (const [, action] of html.matchAll(/<form\b[^>]*\baction="([^"]+)"/g)) {
    if (action && pattern.test(action)) return new URL(action.replace(/&amp;/g, '&'), pageUrl).href;
  }
  return undefined;
}

function textOf(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
}

/**
 * Plays a person's browser at the local identity provider over plain HTTP: opens the
 * authorization URL, fills in the login page with `name` (or presses Cancel) and follows the
 * redirects, with a cookie jar of its own (so every call is a fresh browser and `name` is
 * always who signs in). Returns the URL the provider sent the browser back to — the client's
 * redirect URI with `code`, `state` and `iss` (or `error`) — without requesting it.
 * Throws when the provider answers with an error page instead (e.g. an unknown client or a
 * redirect URI it does not know), with the page's text in the message.
 *
 * @example
 * const { authorizationUrl } = await relyingParty.begin();
 * const callbackUrl = await signInAtDevIdp(authorizationUrl, 'ada'); // signs in as dev-ada
 * await relyingParty.complete(new URL(callbackUrl), expected);
 */
export async function signInAtDevIdp(authorizationUrl: string, name: string, options: DevIdpBrowserOptions = {}): Promise<string> {
  const jar = new CookieJar();
  const idpOrigin = new URL(authorizationUrl).origin;
  let request: { url: string; method: 'GET' | 'POST'; body?: URLSearchParams } = { url: authorizationUrl, method: 'GET' };
  let submitted = false;

  for (let step = 0; step < MAX_STEPS; step += 1) {
    const cookie = await jar.getCookieString(request.url);
    const res = await fetch(request.url, {
      method: request.method,
      redirect: 'manual',
      headers: { ...options.headers, ...(cookie ? { cookie } : {}), ...(request.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(request.body ? { body: request.body } : {}),
    });
    for (const line of res.headers.getSetCookie()) await jar.setCookie(line, request.url, { ignoreError: true });

    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      const next = new URL(location, request.url).href;
      // Leaving the provider means it answered the client: that URL is the callback.
      if (new URL(next).origin !== idpOrigin) return next;
      request = { url: next, method: 'GET' };
      continue;
    }

    const html = await res.text();
    const login = res.status === 200 ? formAction(html, /\/login$/, request.url) : undefined;
    if (!login || submitted) {
      throw new Error(`the identity provider answered ${request.method} ${request.url} with ${res.status} instead of a redirect: ${textOf(html)}`);
    }
    submitted = true;
    request =
      options.action === 'cancel'
        ? { url: formAction(html, /\/cancel$/, request.url) ?? login.replace(/\/login$/, '/cancel'), method: 'POST', body: new URLSearchParams() }
        : { url: login, method: 'POST', body: new URLSearchParams({ name }) };
  }
  throw new Error(`the identity provider did not send the browser back to the client within ${MAX_STEPS} steps`);
}
