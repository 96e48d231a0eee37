import { newText } from '../replies/quotes';

/** The most of a reply's own words a replied event carries to the backend (and on to the CRM). */
export const REPLY_TEXT_MAX = 8_000;

/**
 * The words a person wrote in their reply, for the replied event: the message's text (its text/plain part, or
 * the text lib/replies made of its HTML, blockquotes marked as quotes) with the quoted thread cut off line by
 * line (lib/replies/quotes: attribution lines, Outlook header blocks, `>` lines), trailing spaces and runs of
 * blank lines tidied, bounded. Undefined when nothing of their own is left.
 */
export function replyText(text: string): string | undefined {
  const lines: string[] = [];
  for (const raw of newText(text).split('\n')) {
    const line = raw.trimEnd();
    if (line === '' && (lines.length === 0 || lines[lines.length - 1] === '')) continue;
    lines.push(line);
  }
  const own = lines.join('\n').trim();
  return own ? own.slice(0, REPLY_TEXT_MAX) : undefined;
}
