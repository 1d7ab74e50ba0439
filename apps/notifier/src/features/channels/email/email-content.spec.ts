import { buildTipEmail, escapeHtml, type TipEmailInput } from './email-content';

const input: TipEmailInput = {
  title: 'Renew the passport',
  body: 'It expires in three weeks.\nThe office is open until 6.',
  tipUrl: 'https://app.oo.example/?tip=t1&decision=d1',
  unsubscribeUrl: 'https://app.oo.example/v1/notifier/unsubscribe?token=abc.def',
  displayName: 'Ana',
};

describe('escapeHtml', () => {
  it('turns every character with a meaning in HTML into an entity', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
});

describe('buildTipEmail', () => {
  it('uses the title as the subject', () => {
    expect(buildTipEmail(input).subject).toBe('Renew the passport');
  });

  it('keeps the subject on one line and cuts a long one', () => {
    expect(buildTipEmail({ ...input, title: 'Call\r\nthe bank\tnow' }).subject).toBe('Call the bank now');
    const subject = buildTipEmail({ ...input, title: `${'x'.repeat(149)}😀😀` }).subject;
    expect(Array.from(subject)).toHaveLength(150);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('writes a plain-text body with the greeting, the tip, its link and the unsubscribe link', () => {
    const { text } = buildTipEmail(input);
    expect(text).toContain('Hi Ana,');
    expect(text).toContain('Renew the passport\n\nIt expires in three weeks.\nThe office is open until 6.');
    expect(text).toContain('Open the tip: https://app.oo.example/?tip=t1&decision=d1');
    expect(text).toContain('Stop these e-mails (one click, no sign-in): https://app.oo.example/v1/notifier/unsubscribe?token=abc.def');
  });

  it('writes an HTML body with a link to the tip and a visible unsubscribe link, the & in URLs escaped', () => {
    const { html } = buildTipEmail(input);
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('<h1 style="margin:0 0 16px;font-size:20px">Renew the passport</h1>');
    expect(html).toContain('It expires in three weeks.<br>The office is open until 6.');
    expect(html).toMatch(/<a href="https:\/\/app\.oo\.example\/\?tip=t1&amp;decision=d1"[^>]*>Open the tip<\/a>/);
    expect(html).toMatch(/<a href="https:\/\/app\.oo\.example\/v1\/notifier\/unsubscribe\?token=abc\.def"[^>]*>Stop these e-mails<\/a>/);
  });

  it('carries no image, script or other remote resource', () => {
    const { html } = buildTipEmail(input);
    expect(html).not.toMatch(/<(img|script|iframe|link|object|embed)\b/i);
    expect(html).not.toMatch(/src=|url\(/i);
  });

  it('escapes the title, body and display name, which are user data', () => {
    const { html, text } = buildTipEmail({
      ...input,
      title: '<script>alert(1)</script>',
      body: 'Ask "Bob" & <b>Eve</b>',
      displayName: '<img src=x onerror=alert(2)>',
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('Ask &quot;Bob&quot; &amp; &lt;b&gt;Eve&lt;/b&gt;');
    expect(html).toContain('Hi &lt;img src=x onerror=alert(2)&gt;,');
    // Plain text is shown as text by every client: it stays as the person wrote it.
    expect(text).toContain('<script>alert(1)</script>');
  });

  it('greets without a name when there is none, and splits paragraphs on blank lines', () => {
    const { text, html } = buildTipEmail({ ...input, displayName: null, body: 'One.\r\n\r\nTwo.' });
    expect(text.startsWith('Hi,\n')).toBe(true);
    expect(html).toContain('<p style="margin:0 0 16px">Hi,</p>');
    expect(html).toContain('<p style="margin:0 0 16px">One.</p><p style="margin:0 0 16px">Two.</p>');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => buildTipEmail({ ...input, tipUrl: 'javascript:alert(1)' })).toThrow('tipUrl must be an http(s) URL');
    expect(() => buildTipEmail({ ...input, unsubscribeUrl: 'not a url' })).toThrow('unsubscribeUrl is not a URL');
  });
});
