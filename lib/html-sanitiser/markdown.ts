import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * A playbook card's guidance (markdown an editor wrote) as HTML safe to show in the thread panel, inside the
 * mail page, and in the Playbooks editor's preview (the same function, so the preview shows what reps see).
 * marked renders it; DOMPurify's HTML profile then drops scripts, handlers and forms, and on top of it:
 * - no images or other media at all: a remote `<img>` would be a tracking pixel loaded in the rep's mail page;
 * - links only to http:, https: or mailto:, each opening in a new tab with rel="noopener noreferrer".
 *
 * Needs a DOM (a page or content script, or jsdom in tests; happy-dom 21 makes DOMPurify pass everything).
 */
export function cardGuidanceHtml(markdown: string): string {
  const fragment = DOMPurify.sanitize(marked.parse(markdown, { async: false, gfm: true }), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: [
      ...['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
      ...[
        'img',
        'picture',
        'source',
        'video',
        'audio',
        'track',
        'svg',
        'math',
        'image',
        'link',
        'meta',
        'base',
      ],
    ],
    FORBID_ATTR: ['srcset', 'style', 'background', 'poster', 'action', 'formaction', 'xlink:href'],
    ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
    RETURN_DOM_FRAGMENT: true,
  });
  for (const a of Array.from(fragment.querySelectorAll('a'))) {
    if (!a.hasAttribute('href')) continue;
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
  const box = fragment.ownerDocument.createElement('div');
  box.appendChild(fragment);
  return box.innerHTML;
}
