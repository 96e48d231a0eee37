// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './sanitize';

describe('email HTML is sanitised before it is kept or shown', () => {
  it('drops scripts, event handlers and javascript: links', () => {
    const out = sanitizeEmailHtml(
      '<p onclick="steal()">Hi</p><img src="x" onerror="alert(1)"><script>alert(2)</script>' +
        '<a href="javascript:alert(3)">click</a>',
    );
    expect(out).toBe('<p>Hi</p><img src="x"><a>click</a>');
  });

  it('drops what an email has no use for: forms, frames, style sheets', () => {
    expect(
      sanitizeEmailHtml(
        '<form action="https://evil.example"><input name="password"></form><iframe src="https://evil.example"></iframe><style>p{display:none}</style><p>Still here</p>',
      ),
    ).toBe('<p>Still here</p>');
  });

  it('keeps the formatting a rep writes, links and tokens with their fallbacks', () => {
    const html =
      '<p>Hi {{contact.firstName | "there"}}, <strong>slides</strong> and <em>notes</em>:</p>' +
      '<ul><li><a href="https://acme.example/deck">the deck</a></li></ul>';
    expect(sanitizeEmailHtml(html)).toBe(html);
  });
});
