import { addressParser, decodeWords } from 'postal-mime';
import type { Address } from 'postal-mime';
import { fromDaemon } from './bounce';
import { headerPart, parseHeaderBlock } from './header-block';
import type { HeaderField, MailAddress, ParsedHeaders } from './types';

/** The most of a raw message parseHeaders reads: a header block larger than this is cut off there. */
export const HEADER_LIMIT = 256 * 1024;
/** The most of one header value decoded and parsed into addresses or words. */
const VALUE_LIMIT = 16 * 1024;

const utf8 = new TextDecoder('utf-8');

function flatten(list: readonly Address[], out: MailAddress[] = [], depth = 0): MailAddress[] {
  for (const a of list) {
    if (a.group) {
      if (depth < 4) flatten(a.group, out, depth + 1);
    } else if (a.address) out.push({ address: a.address.toLowerCase(), name: a.name });
  }
  return out;
}

export function addressesOf(fields: readonly HeaderField[], name: string): MailAddress[] {
  const out: MailAddress[] = [];
  for (const f of fields) if (f.name === name) flatten(addressParser(f.value.slice(0, VALUE_LIMIT)), out);
  return out;
}

/** Message ids in a References / In-Reply-To value, in order ("<a@b> <c@d>"); bare words when unbracketed. */
export function splitIds(v: string | undefined): string[] {
  if (!v) return [];
  const value = v.slice(0, VALUE_LIMIT);
  const ids: string[] = [];
  for (let i = value.indexOf('<'); i >= 0; i = value.indexOf('<', i + 1)) {
    const end = value.indexOf('>', i);
    if (end < 0) break;
    ids.push(value.slice(i, end + 1));
    i = end;
  }
  return ids.length > 0 ? ids : value.split(/\s+/).filter(Boolean);
}

/** The media type of a Content-Type value, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  const t = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  return t || 'text/plain';
}

function text(raw: string | Uint8Array): string {
  if (typeof raw === 'string') return headerPart(raw.slice(0, HEADER_LIMIT));
  const prefix = raw.subarray(0, HEADER_LIMIT);
  // Raw 8-bit headers are usually UTF-8 (RFC 6532); anything else decodes with replacement characters.
  return headerPart(utf8.decode(prefix));
}

/**
 * Reads only the top-level header block of a raw message (at most HEADER_LIMIT bytes), for the watcher's first
 * decision before any body is parsed: who wrote it, to whom, in which thread, and whether it is a report.
 * Never throws on malformed input: fields that cannot be read are left out.
 */
export function parseHeaders(raw: string | Uint8Array): ParsedHeaders {
  const headers = parseHeaderBlock(text(raw));
  const get = (n: string): string | undefined => headers.find((h) => h.name === n)?.value;
  const from = addressesOf(headers, 'from')[0];
  const out: ParsedHeaders = {
    headers,
    to: addressesOf(headers, 'to'),
    cc: addressesOf(headers, 'cc'),
    subject: decodeWords((get('subject') ?? '').slice(0, VALUE_LIMIT))
      .replace(/\s+/g, ' ')
      .trim(),
    references: splitIds(get('references')),
    contentType: mediaType(get('content-type')),
  };
  if (from) out.from = from;
  const messageId = splitIds(get('message-id'))[0];
  if (messageId) out.messageId = messageId;
  const inReplyTo = splitIds(get('in-reply-to'))[0];
  if (inReplyTo) out.inReplyTo = inReplyTo;
  const date = get('date');
  if (date) out.date = date;
  return out;
}

/**
 * What the top-level headers alone say, for deciding whether a message needs its body read: a delivery or
 * feedback report, a mail system's own message (mailer-daemon, postmaster), or an automatic reply. A message
 * with none of these still matters when it is in a watched thread or from an enrolled contact.
 */
export function headerHints(h: ParsedHeaders): { report: boolean; mailSystem: boolean; automatic: boolean } {
  const get = (n: string) =>
    h.headers
      .find((f) => f.name === n)
      ?.value.trim()
      .toLowerCase();
  const autoSubmitted = get('auto-submitted');
  return {
    report: h.contentType === 'multipart/report',
    mailSystem: fromDaemon(h) || h.headers.some((f) => f.name === 'x-failed-recipients'),
    automatic:
      (!!autoSubmitted && autoSubmitted !== 'no') ||
      h.headers.some((f) => ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress'].includes(f.name)) ||
      /^(?:auto_reply|bulk|junk|list)$/.test(get('precedence') ?? ''),
  };
}
