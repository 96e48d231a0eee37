import PostalMime from 'postal-mime';
import type { Address, Attachment } from 'postal-mime';
import { headerPart, lines, parseHeaderBlock, splitGroups } from './header-block';
import { mediaType, splitIds } from './headers';
import { htmlToText, TEXT_LIMIT } from './html-text';
import type {
  CalendarInfo,
  DeliveryStatus,
  DsnRecipient,
  HeaderField,
  InboundMessage,
  MailAddress,
} from './types';

/**
 * The most of a raw message parseInbound reads. The parts classification needs (the new text, a DSN's
 * delivery-status, a report's fields, the returned headers, an invitation) come first in real mail; a large
 * attachment or a long quoted history after them is never decoded, so the work per message is bounded
 * whatever its size.
 */
export const RAW_LIMIT = 256 * 1024;
/**
 * The most lines of a raw message parseInbound reads. postal-mime's cost grows with the number of lines (each
 * line is a chunk it reassembles through a Blob, tens of microseconds apiece in Node), so a message of many
 * short lines or many tiny parts is cut here long before RAW_LIMIT. The new text of a reply, a DSN's report
 * and a feedback report all sit in the first few hundred lines.
 */
export const LINE_LIMIT = 1000;
/** The most read from one report, calendar or returned-headers part. */
export const PART_LIMIT = 64 * 1024;
/** The most attachments and report parts looked at, and the most DSN recipient blocks kept. */
const MAX_PARTS = 64;
/** Multipart nesting deeper than this is not mail a person sent: the message is unreadable. */
const MAX_NESTING = 32;

/** The message could not be parsed at all; the watcher records it as unreadable and shows it to the rep. */
export class UnreadableMessageError extends Error {
  override readonly name = 'UnreadableMessageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const decoder = new TextDecoder('utf-8');

function flatten(list: readonly Address[] | Address | undefined, depth = 0): MailAddress[] {
  if (!list) return [];
  const out: MailAddress[] = [];
  for (const a of Array.isArray(list) ? list : [list]) {
    if (a.group) {
      if (depth < 4) out.push(...flatten(a.group, depth + 1));
    } else if (a.address) out.push({ address: a.address.toLowerCase(), name: a.name });
  }
  return out;
}

function contentText(a: Attachment, limit = PART_LIMIT): string {
  const c = a.content;
  if (typeof c === 'string') return c.slice(0, limit);
  const bytes = c instanceof Uint8Array ? c : new Uint8Array(c);
  return decoder.decode(limit < bytes.length ? bytes.subarray(0, limit) : bytes);
}

/** "rfc822; jane@example.org" -> "jane@example.org" */
function addressOf(typed: string | undefined): string | undefined {
  if (!typed) return undefined;
  const v = typed.includes(';') ? typed.slice(typed.indexOf(';') + 1) : typed;
  const a = v.trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return a || undefined;
}

export function parseDeliveryStatus(body: string): DeliveryStatus {
  const [first, ...rest] = splitGroups(body);
  const perMessage = parseHeaderBlock(first ?? '');
  const status: DeliveryStatus = { recipients: [] };
  const mta = perMessage.find((f) => f.name === 'reporting-mta')?.value;
  if (mta) status.reportingMta = mta;
  // Some servers put the first recipient block right after the per-message one without a blank line.
  const groups = perMessage.some((f) => f.name === 'final-recipient') ? [first ?? '', ...rest] : rest;
  for (const g of groups.slice(0, MAX_PARTS)) {
    const fields = parseHeaderBlock(g);
    const get = (n: string): string | undefined => fields.find((f) => f.name === n)?.value;
    const r: DsnRecipient = {};
    const fr = addressOf(get('final-recipient'));
    const or = addressOf(get('original-recipient'));
    const action = get('action')?.toLowerCase().split(/[\s(]/)[0];
    const st = /\d\.\d{1,3}\.\d{1,3}/.exec(get('status') ?? '')?.[0];
    const diag = get('diagnostic-code');
    if (fr) r.finalRecipient = fr;
    if (or) r.originalRecipient = or;
    if (action) r.action = action;
    if (st) r.status = st;
    if (diag) r.diagnosticCode = diag;
    if (Object.keys(r).length > 0) status.recipients.push(r);
  }
  return status;
}

function unfoldIcs(ics: string): string[] {
  const out: string[] = [];
  for (const line of lines(ics)) {
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && out.length > 0) out[out.length - 1] += line.slice(1);
    else out.push(line);
  }
  return out;
}

function mailto(v: string): string {
  return v
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
}

export function parseCalendar(ics: string, methodParam?: string): CalendarInfo {
  const cal: CalendarInfo = { attendees: [] };
  for (const line of unfoldIcs(ics)) {
    if (line.length > 4096) continue;
    const m = /^([A-Za-z-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!m) continue;
    const name = (m[1] ?? '').toUpperCase();
    const params = m[2] ?? '';
    const value = (m[3] ?? '').trim();
    if (name === 'METHOD' && !cal.method) cal.method = value.toUpperCase();
    else if (name === 'ORGANIZER' && !cal.organizer) cal.organizer = mailto(value);
    else if (name === 'SUMMARY' && !cal.summary) cal.summary = value;
    else if (name === 'ATTENDEE') {
      const ps = /;PARTSTAT=("?)([^;:"]+)\1/i.exec(params)?.[2];
      cal.attendees.push(
        ps ? { address: mailto(value), partstat: ps.toUpperCase() } : { address: mailto(value) },
      );
    }
  }
  if (!cal.method && methodParam) cal.method = methodParam.toUpperCase();
  return cal;
}

function param(contentType: string, name: string): string | undefined {
  for (const p of contentType.slice(0, 4096).split(';').slice(1)) {
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== name) continue;
    return p
      .slice(eq + 1)
      .trim()
      .replace(/^"|"$/g, '')
      .trim()
      .toLowerCase();
  }
  return undefined;
}

function capped(text: string): string {
  return text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) : text;
}

/**
 * Parses a raw RFC 5322 message into an InboundMessage. Nested messages are kept out of the body text: a
 * returned original (in a bounce) or a forwarded message must not be read as the sender's own words.
 * Linear in the size of the message and bounded: at most RAW_LIMIT bytes and LINE_LIMIT lines are read,
 * each report part up to
 * PART_LIMIT, and the text handed to the rules is at most TEXT_LIMIT characters (HTML goes through a real
 * tokenizer, never regular expressions). Throws UnreadableMessageError when the MIME structure cannot be
 * parsed at all (e.g. multipart nesting deeper than any real mail).
 */
/** The start of a raw message: at most RAW_LIMIT characters or bytes and LINE_LIMIT lines, cut after a line. */
export function rawPrefix<T extends string | Uint8Array>(raw: T): T {
  const limited = (raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) : raw) as T;
  let lineCount = 0;
  if (typeof limited === 'string') {
    for (let i = limited.indexOf('\n'); i >= 0; i = limited.indexOf('\n', i + 1)) {
      if (++lineCount >= LINE_LIMIT) return limited.slice(0, i + 1) as T;
    }
  } else {
    const bytes = limited as Uint8Array;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) {
      if (++lineCount >= LINE_LIMIT) return bytes.subarray(0, i + 1) as T;
    }
  }
  return limited;
}

export async function parseInbound(raw: string | Uint8Array): Promise<InboundMessage> {
  const prefix = rawPrefix(raw);
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(prefix, {
      forceRfc822Attachments: true,
      attachmentEncoding: 'arraybuffer',
      maxNestingDepth: MAX_NESTING,
      maxRfc822NestingDepth: 3,
    });
  } catch (e) {
    throw new UnreadableMessageError(
      `the message could not be parsed: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const headers: HeaderField[] = email.headers.map((h) => ({ name: h.key, value: h.value }));
  const header = (n: string): string | undefined => headers.find((h) => h.name === n)?.value;
  const ct = header('content-type') ?? 'text/plain';
  const msg: InboundMessage = {
    headers,
    to: flatten(email.to),
    cc: flatten(email.cc),
    subject: (email.subject ?? '').slice(0, 2000).replace(/\s+/g, ' ').trim(),
    references: splitIds(email.references),
    contentType: mediaType(ct),
    text: '',
    calendars: [],
    partTypes: [],
  };
  const from = flatten(email.from)[0];
  if (from) msg.from = from;
  const date = header('date');
  if (date) msg.date = date;
  if (email.messageId) msg.messageId = email.messageId;
  if (email.inReplyTo) msg.inReplyTo = email.inReplyTo;
  const reportType = param(ct, 'report-type');
  if (reportType) msg.reportType = reportType;
  // Only the start of the HTML is kept: nothing downstream needs more, and the message is stored and logged.
  if (email.html) msg.html = capped(email.html);
  msg.text = email.text?.trim() ? capped(email.text) : email.html ? htmlToText(email.html) : '';

  // Thousands of tiny parts (zip-bomb-like repetition) are not read one by one: the first ones decide.
  for (const a of email.attachments.slice(0, MAX_PARTS)) {
    const type = a.mimeType.toLowerCase();
    msg.partTypes.push(type);
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      const ds = parseDeliveryStatus(contentText(a));
      if (!msg.deliveryStatus) msg.deliveryStatus = ds;
      else msg.deliveryStatus.recipients.push(...ds.recipients.slice(0, MAX_PARTS));
    } else if (
      type === 'message/rfc822' ||
      type === 'message/global' ||
      type === 'text/rfc822-headers' ||
      type === 'message/rfc822-headers' ||
      type === 'message/global-headers'
    ) {
      if (!msg.originalHeaders) msg.originalHeaders = parseHeaderBlock(headerPart(contentText(a)));
    } else if (
      type === 'text/calendar' ||
      type === 'application/ics' ||
      (type === 'application/octet-stream' && (a.filename ?? '').toLowerCase().endsWith('.ics'))
    ) {
      if (msg.calendars.length < 8) msg.calendars.push(parseCalendar(contentText(a), a.method));
    } else if (type === 'message/feedback-report') {
      msg.feedbackReport = parseHeaderBlock(contentText(a));
    } else if (
      type === 'message/disposition-notification' ||
      type === 'message/global-disposition-notification'
    ) {
      msg.dispositionNotification = parseHeaderBlock(contentText(a));
    }
  }
  return msg;
}
