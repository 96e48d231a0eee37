import PostalMime from 'postal-mime';
import type { Address, Attachment } from 'postal-mime';
import { headerPart, parseHeaderBlock, splitGroups } from './header-block';
import { htmlToText } from './html-text';
import type {
  CalendarInfo,
  DeliveryStatus,
  DsnRecipient,
  HeaderField,
  InboundMessage,
  MailAddress,
} from './types';

const decoder = new TextDecoder('utf-8');

function flatten(list: readonly Address[] | Address | undefined): MailAddress[] {
  if (!list) return [];
  const out: MailAddress[] = [];
  for (const a of Array.isArray(list) ? list : [list]) {
    if (a.group) out.push(...flatten(a.group));
    else if (a.address) out.push({ address: a.address.toLowerCase(), name: a.name });
  }
  return out;
}

function contentText(a: Attachment, limit = Infinity): string {
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
  for (const g of groups) {
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
  return ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
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
  const m = new RegExp(`;\\s*${name}\\s*=\\s*("?)([^";]+)\\1`, 'i').exec(contentType);
  return m?.[2]?.trim().toLowerCase();
}

function splitIds(v: string | undefined): string[] {
  return v ? (v.match(/<[^>]+>/g) ?? v.split(/\s+/).filter(Boolean)) : [];
}

/**
 * Parses a raw RFC 5322 message into an InboundMessage. Nested messages are kept out of the body text: a
 * returned original (in a bounce) or a forwarded message must not be read as the sender's own words.
 */
export async function parseInbound(raw: string | Uint8Array): Promise<InboundMessage> {
  const email = await PostalMime.parse(raw, {
    forceRfc822Attachments: true,
    attachmentEncoding: 'arraybuffer',
  });
  const headers: HeaderField[] = email.headers.map((h) => ({ name: h.key, value: h.value }));
  const header = (n: string): string | undefined => headers.find((h) => h.name === n)?.value;
  const ct = header('content-type') ?? 'text/plain';
  const msg: InboundMessage = {
    headers,
    to: flatten(email.to),
    cc: flatten(email.cc),
    subject: (email.subject ?? '').replace(/\s+/g, ' ').trim(),
    references: splitIds(email.references),
    contentType: (ct.split(';')[0] ?? '').trim().toLowerCase(),
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
  if (email.html) msg.html = email.html;
  msg.text = email.text?.trim() ? email.text : email.html ? htmlToText(email.html) : '';

  for (const a of email.attachments) {
    const type = a.mimeType.toLowerCase();
    msg.partTypes.push(type);
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      const ds = parseDeliveryStatus(contentText(a));
      if (!msg.deliveryStatus) msg.deliveryStatus = ds;
      else msg.deliveryStatus.recipients.push(...ds.recipients);
    } else if (
      type === 'message/rfc822' ||
      type === 'message/global' ||
      type === 'text/rfc822-headers' ||
      type === 'message/rfc822-headers' ||
      type === 'message/global-headers'
    ) {
      if (!msg.originalHeaders) msg.originalHeaders = parseHeaderBlock(headerPart(contentText(a, 65536)));
    } else if (
      type === 'text/calendar' ||
      type === 'application/ics' ||
      (type === 'application/octet-stream' && /\.ics$/i.test(a.filename ?? ''))
    ) {
      msg.calendars.push(parseCalendar(contentText(a), a.method));
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
