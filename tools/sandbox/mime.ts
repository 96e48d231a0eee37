/**
 * MIME for the sandbox: postal-mime parses what the providers send and what tests inject, mimetext builds
 * the messages the sandbox composes itself (Graph drafts on send, JSON injections). The part tree that
 * Gmail's `format=full` returns is not exposed by postal-mime, so `partTree` walks boundaries itself.
 */
import PostalMime, { decodeWords, type Address } from 'postal-mime';
import { createMimeMessage } from 'mimetext';

export interface ParsedMail {
  messageId?: string;
  subject: string;
  from: string;
  fromName: string;
  to: string[];
  cc: string[];
  bcc: string[];
  inReplyTo?: string;
  references: string[];
  /** Last value of each header, keys as first written in the message. */
  headers: Record<string, string>;
  /** Every header in order, values decoded (RFC 2047), duplicates kept. */
  headerList: { name: string; value: string }[];
  text: string;
  html?: string;
  date?: string;
}

export function toBase64Url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** Google accepts both alphabets and optional padding. */
export function fromBase64Url(input: string): Buffer {
  return Buffer.from(input.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

const msgIdPattern = /<[^<>\s]+>/g;

export function messageIdsIn(value: string | undefined): string[] {
  return value ? (value.match(msgIdPattern) ?? []) : [];
}

function flatAddresses(list: Address[] | undefined): string[] {
  const out: string[] = [];
  for (const a of list ?? []) {
    if (a.group) out.push(...a.group.map((m) => m.address.toLowerCase()));
    else if (a.address) out.push(a.address.toLowerCase());
  }
  return out;
}

export async function parseMail(raw: string): Promise<ParsedMail> {
  const email = await PostalMime.parse(raw);
  const headers: Record<string, string> = {};
  const headerList = email.headers.map((h) => {
    const value = decodeWords(h.value);
    headers[h.originalKey] = value;
    return { name: h.originalKey, value };
  });
  const from = email.from && !email.from.group ? email.from : undefined;
  return {
    messageId: messageIdsIn(email.messageId)[0],
    subject: email.subject ?? '',
    from: (from?.address ?? '').toLowerCase(),
    fromName: from?.name ?? '',
    to: flatAddresses(email.to),
    cc: flatAddresses(email.cc),
    bcc: flatAddresses(email.bcc),
    inReplyTo: messageIdsIn(email.inReplyTo)[0],
    references: messageIdsIn(email.references),
    headers,
    headerList,
    text: email.text ?? '',
    html: email.html,
    date: email.date,
  };
}

/** "Re: Fwd: RE: Hello" and "Hello" are the same conversation subject, as for Gmail and Exchange. */
export function normalizeSubject(subject: string): string {
  return subject
    .replace(/^(\s*(re|fwd?|aw|wg|sv|vs|tr)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .trim()
    .toLowerCase();
}

export function snippetOf(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Adds Message-ID and Date before the body when the sender left them out, as the real services do. */
export function ensureHeaders(raw: string, add: Record<string, string>): string {
  const lines = Object.entries(add).map(([k, v]) => `${k}: ${v}\r\n`);
  return lines.join('') + raw;
}

export interface ComposeInput {
  from: string;
  fromName?: string;
  to: string[];
  cc?: string[];
  subject: string;
  text?: string;
  html?: string;
  messageId: string;
  date: Date;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
}

export function composeMail(input: ComposeInput): string {
  const msg = createMimeMessage();
  msg.setSender(input.fromName ? { addr: input.from, name: input.fromName } : input.from);
  if (input.to.length > 0) msg.setTo(input.to);
  if (input.cc && input.cc.length > 0) msg.setCc(input.cc);
  msg.setSubject(input.subject);
  msg.setHeader('Message-ID', input.messageId);
  msg.setHeader('Date', input.date.toUTCString().replace('GMT', '+0000'));
  if (input.inReplyTo) msg.setHeader('In-Reply-To', input.inReplyTo);
  if (input.references && input.references.length > 0)
    msg.setHeader('References', input.references.join(' '));
  for (const [k, v] of Object.entries(input.headers ?? {})) msg.setHeader(k, v);
  // mimetext writes `data` as given under the encoding it is told: the base64 has to be ours.
  msg.addMessage({ contentType: 'text/plain', data: base64Body(input.text ?? ''), encoding: 'base64' });
  if (input.html !== undefined)
    msg.addMessage({ contentType: 'text/html', data: base64Body(input.html), encoding: 'base64' });
  return msg.asRaw().replace(/\r?\n/g, '\r\n');
}

/**
 * UTF-8 text as base64 in lines of 76 characters (RFC 2045 §6.8). Not shared with lib/mail on purpose:
 * the sandbox stands in for the real services, so a bug in the providers' MIME must not hide in it.
 */
function base64Body(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

/** One node of Gmail's `payload`: headers as written, bodies decoded from their transfer encoding. */
export interface MimePart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: { name: string; value: string }[];
  body: { size: number; data?: string };
  parts?: MimePart[];
}

function splitHead(raw: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: '' };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

function headerLines(head: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const line of head.split(/\r?\n/)) {
    const last = out[out.length - 1];
    if (/^[ \t]/.test(line) && last) last.value += ' ' + line.trim();
    else {
      const i = line.indexOf(':');
      if (i > 0) out.push({ name: line.slice(0, i).trim(), value: line.slice(i + 1).trim() });
    }
  }
  return out.map((h) => ({ name: h.name, value: decodeWords(h.value) }));
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

function decodeQuotedPrintable(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i];
    const hex = soft.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(c ?? '', 'utf8'));
  }
  return Buffer.from(bytes);
}

function decodeBody(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'utf8');
}

export function partTree(raw: string, partId = ''): MimePart {
  const { head, body } = splitHead(raw);
  const headers = headerLines(head);
  const get = (n: string) => headers.find((h) => h.name.toLowerCase() === n)?.value ?? '';
  const contentType = get('content-type') || 'text/plain';
  const mimeType = contentType.split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
  const filename = param(get('content-disposition'), 'filename') ?? param(contentType, 'name') ?? '';
  const boundary = param(contentType, 'boundary');
  if (mimeType.startsWith('multipart/') && boundary) {
    const sections = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const children = sections
      .slice(1)
      .filter((s) => !s.startsWith('--'))
      .map((s, i) => partTree(s.replace(/^[ \t]*\r?\n/, ''), partId === '' ? `${i}` : `${partId}.${i}`));
    return { partId, mimeType, filename, headers, body: { size: 0 }, parts: children };
  }
  const bytes = decodeBody(body, get('content-transfer-encoding').toLowerCase());
  return {
    partId,
    mimeType,
    filename,
    headers,
    body: { size: bytes.length, data: bytes.toString('base64url') },
  };
}
