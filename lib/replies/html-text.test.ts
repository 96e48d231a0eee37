import { describe, expect, it } from 'vitest';
import { HTML_LIMIT, htmlOwnText, htmlToText, TEXT_LIMIT } from './html-text';

describe('htmlToText', () => {
  it('keeps the words, breaks lines at blocks and marks blockquotes as quotes', () => {
    const html = `<html><head><title>T</title><style>p{color:red}</style></head><body>
      <div>Sounds good,&nbsp;let&#39;s talk <b>Tuesday</b>.</div><div>Ada</div>
      <blockquote>On Monday you wrote:<br>Are you free?<blockquote>older</blockquote></blockquote>
      <script>alert(1)</script><table><tr><td>a</td><td>b</td></tr></table></body></html>`;
    expect(
      htmlToText(html)
        .split('\n')
        .filter((l) => l !== ''),
    ).toEqual([
      "Sounds good, let's talk Tuesday.",
      'Ada',
      '> On Monday you wrote:',
      '> Are you free?',
      '> > older',
      'a b',
    ]);
  });

  it('drops comments, unclosed ones included, and decodes entities', () => {
    expect(htmlToText('x &amp; y &lt;3 &eacute;t&eacute; &#x2764;<!-- hidden -->z')).toBe('x & y <3 été ❤z');
    expect(htmlToText('before<!-- never closed <p>after')).toBe('before');
  });

  it('reads an unclosed tag as a tag, not as text', () => {
    expect(htmlToText(`hello<a href="x" ${'<a'.repeat(1000)}`)).toBe('hello');
  });

  it('skips an unclosed head but not the body after a closed one', () => {
    expect(htmlToText('<head><meta charset="utf-8">junk')).toBe('');
    expect(htmlToText('<head><meta charset="utf-8"></head><p>hi</p>')).toBe('hi');
    expect(htmlToText('<head><meta charset="utf-8"><body><p>hi</p>')).toBe('hi');
  });

  it('reads at most HTML_LIMIT characters of markup and gives at most TEXT_LIMIT characters of text', () => {
    const words = 'word '.repeat(HTML_LIMIT);
    expect(htmlToText(words).length).toBeLessThanOrEqual(TEXT_LIMIT);
    const lateText = `${'<i></i>'.repeat(HTML_LIMIT / 7 + 10)}late`;
    expect(htmlToText(lateText)).not.toContain('late');
  });

  it('handles deep nesting without building a tree', () => {
    const deep = `${'<div><blockquote>'.repeat(10_000)}deep`;
    const text = htmlToText(deep);
    expect(text.endsWith('deep')).toBe(true);
    // Quote depth is capped so that one line cannot grow with the nesting.
    expect(text.length).toBeLessThan(200);
  });
});

describe('htmlOwnText: the text before the quoted original, found by the markup mail clients write', () => {
  const own = '<div dir="ltr">Thursday works.<div><br></div><div>Ada</div></div>';
  const quoted = '<div>Hi Ada, our budget is frozen, do not tell Sam yet.</div>';
  it.each([
    [
      'Gmail',
      `${own}<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">2026年12月7日(月) 10:00 Sam &lt;sam@example.com&gt;:<br></div><blockquote class="gmail_quote">${quoted}</blockquote></div>`,
    ],
    [
      'Gmail, the blockquote alone',
      `${own}<blockquote class="gmail_quote" style="margin:0">${quoted}</blockquote>`,
    ],
    [
      'Outlook on the web',
      `${own}<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><b>Från:</b> Sam<br><b>Skickat:</b> den 7 december 2026 10:00</div>${quoted}`,
    ],
    [
      'Outlook on the web without appendonsend',
      `${own}<hr><div id="divRplyFwdMsg" dir="ltr"><b>Od:</b> Sam<br><b>Wysłano:</b> 7 grudnia 2026 10:00</div>${quoted}`,
    ],
    [
      'Outlook for Windows (the border-top separator)',
      `${own}<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>Lähettäjä:</b> Sam<br><b>Lähetetty:</b> 7. joulukuuta 2026 10.00</p></div></div>${quoted}`,
    ],
    [
      'Outlook on the web, the separator re-serialised by a browser',
      `${own}<div style="border-width: 1pt medium medium; border-style: solid none none; border-color: rgb(225, 225, 225) currentcolor currentcolor; padding: 3pt 0in 0in;"><b>差出人:</b> Sam</div>${quoted}`,
    ],
    [
      'the new Outlook',
      `${own}<div id="mail-editor-reference-message-container"><div><b>From:</b> Sam</div>${quoted}</div>`,
    ],
    [
      'Apple Mail',
      `${own}<div><br><blockquote type="cite"><div>2026/12/07 10:00、Sam &lt;sam@example.com&gt;のメール:</div><br class="Apple-interchange-newline">${quoted}</blockquote></div>`,
    ],
    [
      'Thunderbird',
      `${own}<div class="moz-cite-prefix">Dne 07. 12. 26 v 10:00 Sam napsal(a):<br></div><blockquote type="cite" cite="mid:x@example.com">${quoted}</blockquote>`,
    ],
    [
      'Thunderbird forwarding',
      `${own}<div class="moz-forward-container">-------- Přeposlaná zpráva --------${quoted}</div>`,
    ],
    [
      'Yahoo Mail',
      `${own}<div id="yahoo_quoted_1234" class="yahoo_quoted"><div>Am Montag, 7. Dezember 2026, 10:00:00 MEZ hat Sam Folgendes geschrieben:</div>${quoted}</div>`,
    ],
    ['Proton Mail', `${own}<div class="protonmail_quote">Sent with Proton Mail${quoted}</div>`],
  ])('%s', (_client, html) => {
    expect(htmlOwnText(`<html><body>${html}</body></html>`)).toBe('Thursday works.\n\nAda');
  });

  it('is undefined when the markup has no quoted container, so the text rules decide', () => {
    expect(htmlOwnText(`<p>Thursday works.</p><blockquote>a quote of my own</blockquote>`)).toBeUndefined();
    expect(htmlOwnText('<p>Thursday works.</p><div class="gmail_signature">Ada</div>')).toBeUndefined();
    // A signature's rule is not Outlook's separator.
    expect(
      htmlOwnText(
        '<p>Thursday works.</p><div style="border-top:1px solid #ccc;padding-top:8px">Ada, CEO</div>',
      ),
    ).toBeUndefined();
    expect(htmlOwnText('plain words only')).toBeUndefined();
  });

  it('is empty when the quote comes first (a reply written below the quote)', () => {
    expect(htmlOwnText(`<blockquote type="cite">Sam wrote: hi</blockquote><p>Thursday works.</p>`)).toBe('');
  });

  it('reads attribute values of any length without slowing down or overflowing', () => {
    const huge = `<div class="${'x '.repeat(HTML_LIMIT / 4)}">Thursday works.</div><div class="gmail_quote">q</div>`;
    expect(htmlOwnText(huge)).toBe('Thursday works.');
    expect(
      htmlOwnText(`<p>Thursday works.</p><div id="divRplyFwdMsg${'&amp;'.repeat(50_000)}">q</div>`),
    ).toBe(undefined);
  });
});
