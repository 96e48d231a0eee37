// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { cardHtml } from './card-markdown';

describe('a playbook card’s markdown', () => {
  it('renders markdown, links included', () => {
    const html = cardHtml('## Ask\n\n**Who** signs? See [the guide](https://example.com/guide).');
    expect(html).toContain('<h2>Ask</h2>');
    expect(html).toContain('<strong>Who</strong>');
    expect(html).toContain('<a href="https://example.com/guide">the guide</a>');
  });

  it('keeps nothing active an editor could slip in: scripts, handlers, javascript: links, forms, frames', () => {
    const html = cardHtml(
      [
        '<script>alert(1)</script>',
        '<img src="x" onerror="alert(2)">',
        '[click](javascript:alert(3))',
        '<form action="https://evil.example"><input name="q"></form>',
        '<iframe src="https://evil.example"></iframe>',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<script|onerror|javascript:|<form|<input|<iframe/i);
    expect(html).toContain('<img src="x">');
  });
});
