import { describe, expect, it } from 'vitest';
import { REPLY_TEXT_MAX, replyText } from './reply-text';

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
      'keeps an answer written between quoted lines',
      '> Can you do Thursday?\nYes, at 3pm.\n> Or Friday?',
      'Yes, at 3pm.',
    ],
    ['tidies trailing spaces and runs of blank lines', 'Yes.   \n\n\n\nAda  \n\n', 'Yes.\n\nAda'],
  ])('%s', (_name, text, expected) => {
    expect(replyText(text)).toBe(expected);
  });

  it('is undefined when the message holds nothing but the quote', () => {
    expect(replyText('On Mon, 2 Mar 2026 at 10:00, Sam <sam@team.example> wrote:\n> Hi')).toBeUndefined();
    expect(replyText('  \n ')).toBeUndefined();
  });

  it('is bounded', () => {
    expect(replyText('word '.repeat(5_000))!.length).toBe(REPLY_TEXT_MAX);
  });
});
