import { describe, expect, it } from 'vitest';
import { parseInbound } from '../replies';
import { fixtures } from '../replies/fixtures.test-helper';
import { REPLY_TEXT_MAX, replyText } from './reply-text';

async function fixture(name: string) {
  const raw = fixtures.find((f) => f.name === name)?.raw;
  if (!raw) throw new Error(`no mail fixture ${name}`);
  return parseInbound(raw);
}

describe('a reply’s own words', () => {
  it.each([
    [
      'cuts the quoted thread after a Gmail attribution',
      'Thursday works.\r\n\r\nOn Mon, 2 Mar 2026 at 10:00, Sam <sam@team.example> wrote:\r\n> Hi Ada',
      'Thursday works.',
    ],
    [
      'cuts an Outlook header block and what follows',
      'Thursday works.\n\nFrom: Sam Rep <sam@team.example>\nSent: Monday, March 2, 2026 10:00\nTo: Ada\nSubject: Hello\n\nHi Ada',
      'Thursday works.',
    ],
    [
      'cuts a Swedish Outlook header block and the colleague’s mail below it',
      'Torsdag passar.\n\nFrån: Lena Ek <lena@example.se>\nSkickat: den 7 december 2026 09:40\nTill: Karin\n\nBudgeten är fryst.',
      'Torsdag passar.',
    ],
    [
      'cuts a Japanese Gmail attribution',
      '木曜日でお願いします。\n\n2026年12月7日(月) 10:00 Sam <sam@team.example>:\n\n山田様\nお話しできますか？',
      '木曜日でお願いします。',
    ],
    [
      'keeps an answer written between quoted lines',
      '> Can you do Thursday?\nYes, at 3pm.\n> Or Friday?',
      'Yes, at 3pm.',
    ],
    [
      'keeps a line that starts with "From:" in the person’s own words',
      'From: our side, we agree.\nSent the contract back today.',
      'From: our side, we agree.\nSent the contract back today.',
    ],
    ['tidies trailing spaces and runs of blank lines', 'Yes.   \n\n\n\nAda  \n\n', 'Yes.\n\nAda'],
  ])('%s', (_name, text, expected) => {
    expect(replyText({ text })).toBe(expected);
  });

  it('is undefined when the message holds nothing but the quote', () => {
    expect(
      replyText({ text: 'On Mon, 2 Mar 2026 at 10:00, Sam <sam@team.example> wrote:\n> Hi' }),
    ).toBeUndefined();
    expect(replyText({ text: '  \n ' })).toBeUndefined();
  });

  it('is bounded', () => {
    expect(replyText({ text: 'word '.repeat(5_000) })!.length).toBe(REPLY_TEXT_MAX);
  });
});

describe('a reply’s own words, from the quoted container of its HTML when there is one', () => {
  it('keeps only Karin’s words from a Swedish Outlook reply, not the colleague’s mail she replied to', async () => {
    expect(replyText(await fixture('sv-outlook-reply.eml'))).toBe('Torsdag passar bra, kl. 15.\n\n/Karin');
  });

  it('keeps only Taro’s words from a Japanese Gmail reply, not the attribution with the rep’s address', async () => {
    expect(replyText(await fixture('ja-gmail-reply.eml'))).toBe('来週の木曜日14時でお願いします。\n\n山田');
  });

  it('cuts at the quoted container even when the text part’s quote is in a language the text rules do not know', () => {
    const text = 'Igen.\n\nHétfő, Sam írt nekünk valamit\nBudget frozen.';
    const html =
      '<div>Igen.</div><div class="gmail_quote"><div>Hétfő, Sam írt</div><blockquote>Budget frozen.</blockquote></div>';
    expect(replyText({ text, html })).toBe('Igen.');
  });

  it('uses the text part when the HTML has no quoted container', () => {
    const text = 'Yes.\n\nOn Mon, 2 Mar 2026 at 10:00, Sam <sam@team.example> wrote:\n> Hi';
    expect(
      replyText({ text, html: '<p>Yes.</p><p>On Mon, 2 Mar 2026 at 10:00, Sam wrote:</p><p>Hi</p>' }),
    ).toBe('Yes.');
  });

  it('still cuts by lines what the HTML keeps before its container (a plain-text header pasted above it)', () => {
    const html =
      '<p>Yes.</p><p>From: Lena &lt;lena@example.se&gt;<br>Sent: Monday, 7 December 2026 09:40</p><p>Budget frozen.</p><blockquote type="cite">older</blockquote>';
    expect(replyText({ text: 'ignored', html })).toBe('Yes.');
  });
});
