import { htmlOwnText } from '../replies/html-text';
import { newText } from '../replies/quotes';
import type { InboundMessage } from '../replies/types';

/** The most of a reply's own words a replied event carries to the backend (and on to the CRM). */
export const REPLY_TEXT_MAX = 8_000;

/**
 * The words a person wrote in their reply, for the replied event. Structure first: when the HTML has the
 * element a mail client wraps the quoted original in (Gmail, Outlook, Apple Mail, Thunderbird, Yahoo...), the
 * text before it; otherwise the message's text (its text/plain part, or the text of its HTML). Either way the
 * quoted thread is then cut line by line (lib/replies/quotes: attribution lines, Outlook header blocks in
 * many languages, `>` lines), trailing spaces and runs of blank lines tidied, bounded. Undefined when nothing
 * of their own is left.
 */
export function replyText(message: Pick<InboundMessage, 'text' | 'html'>): string | undefined {
  const source = (message.html === undefined ? undefined : htmlOwnText(message.html)) ?? message.text;
  const lines: string[] = [];
  for (const raw of newText(source).split('\n')) {
    const line = raw.trimEnd();
    if (line === '' && (lines.length === 0 || lines[lines.length - 1] === '')) continue;
    lines.push(line);
  }
  const own = lines.join('\n').trim();
  return own ? own.slice(0, REPLY_TEXT_MAX) : undefined;
}
