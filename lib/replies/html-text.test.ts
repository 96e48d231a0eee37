import { describe, expect, it } from 'vitest';
import { HTML_LIMIT, htmlToText, TEXT_LIMIT } from './html-text';

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
