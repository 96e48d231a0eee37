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

/** The same without wrapping lines: for a compose field (Outlook's deeplink body), where the client wraps. */
export function htmlToUnwrappedText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}
