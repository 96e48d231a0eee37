// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { cardGuidanceHtml } from './markdown';

describe('a playbook card’s markdown', () => {
  it('renders markdown; links open in a new tab without the opener or referrer', () => {
    const html = cardGuidanceHtml(
      '## Ask\n\n**Who** signs? See [the guide](https://example.com/guide) or [mail](mailto:a@b.example).',
    );
    expect(html).toContain('<h2>Ask</h2>');
    expect(html).toContain('<strong>Who</strong>');
    expect(html).toContain(
      '<a href="https://example.com/guide" target="_blank" rel="noopener noreferrer">the guide</a>',
    );
    expect(html).toContain('<a href="mailto:a@b.example" target="_blank" rel="noopener noreferrer">mail</a>');
  });

  it('keeps nothing active an editor could slip in: scripts, handlers, javascript: links, forms, frames', () => {
    const html = cardGuidanceHtml(
      [
        '<script>alert(1)</script>',
        '<img src="x" onerror="alert(2)">',
        '[click](javascript:alert(3))',
        '<a href="data:text/html,hi">data</a> <a href="vbscript:x">vb</a>',
        '<form action="https://evil.example"><input name="q"></form>',
        '<iframe src="https://evil.example"></iframe>',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<script|onerror|javascript:|data:|vbscript:|<form|<input|<iframe/i);
  });

  it('loads nothing remote: no image (a tracking pixel in the mail page), markdown or HTML, nor any media', () => {
    const html = cardGuidanceHtml(
      [
        '![logo](https://tracker.example/p.gif)',
        '<img src="https://tracker.example/q.gif" width="1" height="1">',
        '<img src="data:image/png;base64,AAAA">',
        '<video src="https://tracker.example/v.mp4"></video><audio src="https://tracker.example/a.mp3"></audio>',
        '<picture><source srcset="https://tracker.example/s.gif"></picture>',
        '<p style="background:url(https://tracker.example/b.gif)">styled</p>',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<img|<video|<audio|<source|<picture|tracker\.example|style=/i);
    expect(html).toContain('styled');
  });
});
