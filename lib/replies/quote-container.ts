// The element a mail client wraps the quoted original in (or opens it with), recognised from one start tag's
// name and attributes. Everything from such an element on is the thread the person replied to.

/** Classes that mark a quoted original: Gmail, Yahoo, Thunderbird (attribution and forward), Proton Mail. */
const QUOTE_CLASSES = new Set([
  'gmail_quote',
  'yahoo_quoted',
  'moz-cite-prefix',
  'moz-forward-container',
  'protonmail_quote',
]);
/** Ids Outlook writes: on the web `appendonsend` then `divRplyFwdMsg`; the new Outlook a reference container. */
const QUOTE_IDS = new Set(['divrplyfwdmsg', 'appendonsend', 'mail-editor-reference-message-container']);

/** The attributes of one start tag that say it opens a quote, lower-cased; others are never kept. */
export const QUOTE_ATTRIBUTES = new Set(['class', 'id', 'type', 'style']);

/** A CSS declaration list as name → value, lower-cased, whitespace squeezed. */
function declarations(style: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of style.toLowerCase().split(';')) {
    const colon = d.indexOf(':');
    if (colon > 0)
      out.set(
        d.slice(0, colon).trim(),
        d
          .slice(colon + 1)
          .trim()
          .replace(/\s+/g, ' '),
      );
  }
  return out;
}

/**
 * The rule Outlook for Windows and Outlook on the web draw above the quoted header block
 * (`border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm`, or the same re-serialised by a
 * browser as `border-style: solid none none; padding: 3pt 0in 0in`): a top border only, with 3pt of padding
 * above. A signature's rule (other padding) is not it.
 */
function isOutlookSeparator(style: string): boolean {
  const css = declarations(style);
  const topOnly =
    (css.get('border-top') ?? '').includes('solid') ||
    (css.get('border-style') ?? '').startsWith('solid none none');
  const padding = css.get('padding-top') ?? css.get('padding') ?? '';
  return topOnly && /^3(?:\.0)?pt\b/.test(padding);
}

/** Whether the element `name` with these (lower-cased name) attributes starts the quoted original. */
export function isQuoteContainer(name: string, attributes: ReadonlyMap<string, string>): boolean {
  const classes = (attributes.get('class') ?? '').toLowerCase().split(/\s+/);
  if (classes.some((c) => QUOTE_CLASSES.has(c))) return true;
  if (QUOTE_IDS.has((attributes.get('id') ?? '').trim().toLowerCase())) return true;
  if (name === 'blockquote') return (attributes.get('type') ?? '').trim().toLowerCase() === 'cite';
  return name === 'div' && isOutlookSeparator(attributes.get('style') ?? '');
}
