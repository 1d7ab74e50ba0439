// The words of a tip e-mail. The title, body and display name are user data (a task's title can
// be anything someone typed or a provider synced), so everything put into HTML is escaped; the
// mail carries no images and no tracking: opening it tells us nothing.

export interface TipEmailInput {
  title: string;
  body: string;
  /** Where the tip opens in the web app. */
  tipUrl: string;
  /** The signed one-click link that turns e-mail off (it also goes in `List-Unsubscribe`). */
  unsubscribeUrl: string;
  /** Greets the person by name when set. */
  displayName?: string | null;
}

export interface TipEmailContent {
  subject: string;
  text: string;
  html: string;
}

const SUBJECT_MAX = 150;

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('<script>alert("x")</script>'); // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Builds the subject, plain-text and HTML bodies of the e-mail about one tip.
 *
 * @example
 * const { subject, text, html } = buildTipEmail({
 *   title: 'Renew the passport',
 *   body: 'It expires in three weeks.',
 *   tipUrl: 'https://app.oo.example/?tip=t1&decision=d1',
 *   unsubscribeUrl: 'https://app.oo.example/v1/notifier/unsubscribe?token=…',
 *   displayName: 'Ana',
 * });
 * await emailSender.send({ to, subject, text, html, unsubscribeUrl, deliveryId });
 */
export function buildTipEmail(input: TipEmailInput): TipEmailContent {
  const tipUrl = webUrl(input.tipUrl, 'tipUrl');
  const unsubscribeUrl = webUrl(input.unsubscribeUrl, 'unsubscribeUrl');
  const title = oneLine(input.title) || 'Your next thing';
  const body = input.body.replace(/\r\n?/g, '\n').trim();
  const name = oneLine(input.displayName ?? '');
  const greeting = name ? `Hi ${name},` : 'Hi,';

  const text = [
    greeting,
    '',
    title,
    ...(body ? ['', body] : []),
    '',
    `Open the tip: ${tipUrl}`,
    '',
    '-- ',
    'You get this because e-mail tips are on in your oO settings.',
    `Stop these e-mails (one click, no sign-in): ${unsubscribeUrl}`,
    '',
  ].join('\n');

  const paragraphs = body
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p style="margin:0 0 16px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>` +
    `<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;color:#1a1a1a">` +
    `<p style="margin:0 0 16px">${escapeHtml(greeting)}</p>` +
    `<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(title)}</h1>` +
    paragraphs +
    `<p style="margin:24px 0"><a href="${escapeHtml(tipUrl)}" style="display:inline-block;padding:10px 18px;border-radius:6px;background:#1a1a1a;color:#ffffff;text-decoration:none">Open the tip</a></p>` +
    `<hr style="border:none;border-top:1px solid #dddddd;margin:24px 0">` +
    `<p style="margin:0;font-size:13px;color:#555555">You get this because e-mail tips are on in your oO settings. ` +
    `<a href="${escapeHtml(unsubscribeUrl)}" style="color:#555555">Stop these e-mails</a> (one click, no sign-in).</p>` +
    `</body></html>`;

  return { subject: subjectOf(title), text, html };
}

// A long subject is cut by every mail client anyway; counted in code points so an emoji is never split.
function subjectOf(title: string): string {
  const chars = Array.from(title);
  return chars.length <= SUBJECT_MAX ? title : `${chars.slice(0, SUBJECT_MAX - 1).join('').trimEnd()}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// Both links are ours; anything but http(s) here (a `javascript:` URL) is a bug upstream, and a
// mail that carried it would be worse than no mail.
function webUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${what} must be an http(s) URL, not ${url.protocol}`);
  return url.href;
}
