import { convert } from 'html-to-text';

/** The plain-text alternative of an email's HTML body (links kept as "text [url]"). */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: 78,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}
