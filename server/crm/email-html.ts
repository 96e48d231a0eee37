/**
 * Email HTML from a rep's device, cleaned on the server before it becomes an activity body in the CRM (a
 * device's push may carry anything). sanitize-html (htmlparser2, no DOM) keeps an allowlist: the formatting an
 * email body needs, links to http, https and mailto only, and nothing that runs, submits, embeds or loads:
 * no scripts, styles, frames, forms or objects, no event handlers, no inline styles, and no images at all, as
 * a remote image would be a tracking pixel loaded by everyone who opens the record in the CRM.
 */
import sanitizeHtml from 'sanitize-html';

/** The most HTML taken (cut HTML would be broken, so longer HTML is left out and the text alone logged). */
export const EMAIL_HTML_MAX = 16_000;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...['p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'sub', 'sup', 'small'],
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'hr', 'ul', 'ol', 'li'],
    ...['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'a'],
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Elements whose content is not text a reader should see either (their tags go in any case).
  nonTextTags: [
    ...['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template', 'head'],
    ...['iframe', 'object', 'svg', 'math', 'select', 'button'],
  ],
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'noopener noreferrer' },
    }),
  },
};

/** The cleaned HTML, or undefined when there is none, it is over EMAIL_HTML_MAX, or nothing is left of it. */
export function safeEmailHtml(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '' || value.length > EMAIL_HTML_MAX) return undefined;
  const clean = sanitizeHtml(value, OPTIONS).trim();
  return clean === '' ? undefined : clean;
}
