import DOMPurify from 'dompurify';

/**
 * Email HTML as Threadline keeps and shows it: the rep's template bodies (saved from the builder, edited in the
 * enroll flow) and the previews of rendered emails. DOMPurify's HTML profile drops scripts, event handlers and
 * `javascript:` URLs; on top of it nothing interactive or embedding survives (forms, frames, objects, styles
 * that could hide text from the reader), because an email has no use for them. Tokens such as
 * `{{contact.firstName | "there"}}` are plain text and pass through untouched.
 *
 * Needs a DOM (a page, or jsdom in tests; happy-dom 21 makes DOMPurify pass everything through).
 */
export function sanitizeEmailHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['srcset'],
  });
}
