import type { IncomingMessage } from 'node:http';
import type { KoaContextWithOIDC, Middleware, Provider } from 'oidc-provider';
import { devAccountFor, type DevAccount } from './dev-accounts';

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|cancel))?$/;
const MAX_FORM_BYTES = 16 * 1024;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · oO local identity provider</title>
<style>
body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #555;border-radius:4px}
button{font:inherit;margin-top:1rem;padding:.5rem 1.25rem;border-radius:4px;border:1px solid #1a1a1a;background:#1a1a1a;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1a1a1a}
.error{color:#a00000}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function loginForm(uid: string, clientId: string, error?: string): string {
  const describedBy = error ? ' aria-describedby="name-error" aria-invalid="true"' : '';
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p>to <strong>${escapeHtml(clientId)}</strong>. This is oO's identity provider for development: any name signs in.</p>
<form method="post" action="/interaction/${uid}/login">
<label for="name">Name</label>
<input id="name" name="name" type="text" autocomplete="username" autofocus required${describedBy}>
${error ? `<p id="name-error" class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${uid}/cancel">
<button type="submit" class="secondary">Cancel</button>
</form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function render(ctx: KoaContextWithOIDC, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = html;
}

function redirect(ctx: KoaContextWithOIDC, to: string): void {
  ctx.redirect(to);
  ctx.status = 303;
}

/**
 * The provider's interaction routes: a login page where any name signs in, and a Cancel that
 * answers the client with `error=access_denied`. Consent is never asked (the grant is made in
 * `loadExistingGrant`). `remember` records each account's display name for its ID tokens.
 *
 * @example
 * provider.use(loginPage(provider, (account) => accounts.set(account.sub, account)));
 */
export function loginPage(provider: Provider, remember: (account: DevAccount) => void): Middleware {
  return async (ctx, next) => {
    const match = INTERACTION_PATH.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match as unknown as [string, string, 'login' | 'cancel' | undefined];
    if ((action ? 'POST' : 'GET') !== ctx.method) {
      render(ctx, 405, page('Not allowed', '<h1>Not allowed</h1>'));
      return;
    }
    let interaction;
    try {
      interaction = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      // No interaction cookie or an expired interaction: another browser, or too slow.
      render(ctx, 400, page('Sign-in expired', '<h1>This sign-in has expired</h1><p>Start again from the app.</p>'));
      return;
    }
    if (interaction.uid !== uid) {
      render(ctx, 400, page('Sign-in mismatch', '<h1>This page belongs to another sign-in</h1><p>Start again from the app.</p>'));
      return;
    }
    const clientId = String(interaction.params['client_id'] ?? 'an application');
    if (action === 'cancel') {
      const result = { error: 'access_denied', error_description: 'the person cancelled the sign-in' };
      redirect(ctx, await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
      return;
    }
    if (action === 'login') {
      const name = (await readForm(ctx.req)).get('name')?.trim() ?? '';
      if (!name) {
        render(ctx, 400, loginForm(uid, clientId, 'Enter a name to sign in as.'));
        return;
      }
      const account = devAccountFor(name);
      remember(account);
      const result = { login: { accountId: account.sub } };
      redirect(ctx, await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
      return;
    }
    render(ctx, 200, loginForm(uid, clientId));
  };
}
