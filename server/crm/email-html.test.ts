// @vitest-environment node
/** Email HTML from a device, cleaned before it becomes an activity body in the CRM. */
import { describe, expect, it } from 'vitest';
import { EMAIL_HTML_MAX, safeEmailHtml } from './email-html';

/** Nothing in the output that runs, loads or submits anything. */
const ACTIVE =
  /<\s*(script|style|iframe|frame|object|embed|form|input|button|svg|math|img|link|meta|base|video|audio|source)\b|\son\w+\s*=|javascript:|vbscript:|data:|style=|srcset/i;

describe('email HTML for the CRM', () => {
  it('keeps the formatting an email body needs: paragraphs, emphasis, lists, tables, quotes and links', () => {
    const html =
      '<p>Hi <b>Ada</b>, <strong>slides</strong> and <em>notes</em>:</p>' +
      '<ul><li><a href="https://acme.test/deck">the deck</a></li><li><a href="mailto:ada@acme.test">mail</a></li></ul>' +
      '<table><tbody><tr><td colspan="2">Plan</td></tr></tbody></table><blockquote>earlier</blockquote><br />';
    expect(safeEmailHtml(html)).toBe(
      '<p>Hi <b>Ada</b>, <strong>slides</strong> and <em>notes</em>:</p>' +
        '<ul><li><a href="https://acme.test/deck" rel="noopener noreferrer">the deck</a></li>' +
        '<li><a href="mailto:ada@acme.test" rel="noopener noreferrer">mail</a></li></ul>' +
        '<table><tbody><tr><td colspan="2">Plan</td></tr></tbody></table><blockquote>earlier</blockquote><br />',
    );
  });

  it.each([
    ['an image with an error handler', '<p>Hi</p><img src=x onerror="alert(1)">', '<p>Hi</p>'],
    [
      'a javascript: link',
      '<a href="javascript:alert(1)">click</a>',
      '<a rel="noopener noreferrer">click</a>',
    ],
    [
      'a mixed-case JavaScript: link',
      '<A HREF="JaVaScRiPt:alert(1)">click</A>',
      '<a rel="noopener noreferrer">click</a>',
    ],
    [
      'an entity-encoded javascript: link',
      '<a href="jav&#x61;script:alert(1)">click</a>',
      '<a rel="noopener noreferrer">click</a>',
    ],
    [
      'a javascript: link split by a tab and a newline',
      '<a href="java\tscr\nipt:alert(1)">click</a>',
      '<a rel="noopener noreferrer">click</a>',
    ],
    ['a script inside an svg', '<p>Hi</p><svg><script>alert(1)</script></svg>', '<p>Hi</p>'],
    ['a mixed-case script', '<p>Hi</p><ScRiPt>alert(1)</sCrIpT>', '<p>Hi</p>'],
    ['a style sheet', '<style>p{display:none}</style><p>Hi</p>', '<p>Hi</p>'],
    [
      'an inline style loading a remote image',
      '<p style="background:url(https://t.test/p.gif)">Hi</p>',
      '<p>Hi</p>',
    ],
    ['a handler on a paragraph', '<p onclick="steal()" onmouseover="x()">Hi</p>', '<p>Hi</p>'],
    [
      'a data: link',
      '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
      '<a rel="noopener noreferrer">x</a>',
    ],
    ['a data: image', '<p>Hi</p><img src="data:image/png;base64,AAAA">', '<p>Hi</p>'],
    [
      'a remote image (a tracking pixel in the CRM)',
      '<p>Hi</p><img src="https://t.test/p.gif" width="1">',
      '<p>Hi</p>',
    ],
    ['a frame', '<p>Hi</p><iframe src="https://evil.test">x</iframe>', '<p>Hi</p>'],
    [
      'a form',
      '<form action="https://evil.test"><input name="password"><button>Go</button></form><p>Hi</p>',
      '<p>Hi</p>',
    ],
    ['an object and an embed', '<object data="x.swf"></object><embed src="x.swf"><p>Hi</p>', '<p>Hi</p>'],
    [
      'a meta refresh and a base',
      '<meta http-equiv="refresh" content="0;url=https://evil.test"><base href="https://evil.test/"><p>Hi</p>',
      '<p>Hi</p>',
    ],
    ['a protocol-relative link', '<a href="//evil.test/x">x</a>', '<a rel="noopener noreferrer">x</a>'],
    ['a vbscript: link', '<a href="vbscript:msgbox(1)">x</a>', '<a rel="noopener noreferrer">x</a>'],
    ['a comment hiding a script', '<!--<script>alert(1)</script>--><p>Hi</p>', '<p>Hi</p>'],
  ])('drops %s', (_name, html, expected) => {
    const out = safeEmailHtml(html);
    expect(out).toBe(expected);
    expect(out).not.toMatch(ACTIVE);
  });

  it('gives nothing for HTML with no content left, or over its bound (cut HTML would be broken)', () => {
    expect(safeEmailHtml('<script>alert(1)</script>')).toBeUndefined();
    expect(safeEmailHtml('<img src="https://t.test/p.gif">')).toBeUndefined();
    expect(safeEmailHtml(`<p>${'x'.repeat(EMAIL_HTML_MAX)}</p>`)).toBeUndefined();
    expect(safeEmailHtml(42)).toBeUndefined();
    expect(safeEmailHtml('')).toBeUndefined();
  });
});
