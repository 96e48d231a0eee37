import { createMimeMessage, type MIMEMessage } from 'mimetext/browser';
import { utf8ToBase64, wrapBase64 } from './base64';
import { MailError, type OutgoingMessage } from './provider';

// mimetext's "browser" entry point on purpose: its default (Node) entry uses the platform EOL ("\n" on Linux),
// while RFC 5322 requires CRLF; the browser entry uses CRLF and runs in Node too.

const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
const CRLF = '\r\n';
/** RFC 2047 §2: an encoded-word is at most 75 characters. */
const MAX_ENCODED_WORD = 75;

/** "Re: <subject>" for a follow-up, unless the subject already says so (in any case, e.g. "RE:"). */
export function followUpSubject(subject: string): string {
  return /^\s*re\s*:/i.test(subject) ? subject : `Re: ${subject}`;
}

/** The RFC 5322 date of an instant, in UTC: "Tue, 02 Jul 2024 09:30:00 +0000". */
export function rfc5322Date(epochMs: number): string {
  return new Date(epochMs).toUTCString().replace(/GMT$/, '+0000');
}

/**
 * Builds the whole RFC 5322 message: multipart/alternative (text, then HTML) when both bodies are present,
 * the given deterministic Message-ID, threading headers for a follow-up, and RFC 8058 one-click unsubscribe.
 */
export function buildMime(
  message: OutgoingMessage,
  now: number,
  options: { subjectAsIs?: boolean } = {},
): string {
  checkMessageId(message.messageId, 'messageId');
  const msg = createMimeMessage();
  msg.setHeader('Date', rfc5322Date(now));
  msg.setSender(mailbox(message.from));
  msg.setTo(message.to.map(mailbox));
  msg.setHeader('Message-ID', message.messageId);
  setEncodedSubject(
    msg,
    message.thread && !options.subjectAsIs ? followUpSubject(message.subject) : message.subject,
  );

  if (message.thread) {
    const { lastMessageId, references } = message.thread;
    checkMessageId(lastMessageId, 'thread.lastMessageId');
    references.forEach((id, i) => checkMessageId(id, `thread.references.${i}`));
    const chain = references.includes(lastMessageId) ? references : [...references, lastMessageId];
    msg.setHeader('In-Reply-To', lastMessageId);
    msg.setHeader('References', chain.join(`${CRLF} `));
  }

  if (message.listUnsubscribe) {
    const { url, mailto } = message.listUnsubscribe;
    const targets = [url, ...(mailto ? [mailto.startsWith('mailto:') ? mailto : `mailto:${mailto}`] : [])];
    for (const target of targets) {
      if (/[\s<>]/.test(target)) {
        throw new MailError(
          `listUnsubscribe: "${target}" may not contain spaces or angle brackets`,
          'permanent',
        );
      }
    }
    msg.setHeader('List-Unsubscribe', targets.map((t) => `<${t}>`).join(`,${CRLF} `));
    msg.setHeader('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click');
  }

  // Base64 bodies: safe for any charset and line length (an HTML template can be one 5,000-character line).
  if (message.text) {
    msg.addMessage({
      contentType: 'text/plain',
      encoding: 'base64',
      data: wrapBase64(utf8ToBase64(message.text)),
    });
  }
  if (message.html) {
    msg.addMessage({
      contentType: 'text/html',
      encoding: 'base64',
      data: wrapBase64(utf8ToBase64(message.html)),
    });
  }
  if (!message.text && !message.html)
    throw new MailError('the message has neither a text nor an HTML body', 'permanent');
  return msg.asRaw();
}

function mailbox(address: { address: string; name?: string }): { addr: string; name?: string } {
  if (/[\s<>,;"]/.test(address.address) || !address.address.includes('@')) {
    throw new MailError(`"${address.address}" is not an email address`, 'permanent');
  }
  return address.name ? { addr: address.address, name: address.name } : { addr: address.address };
}

function checkMessageId(id: string, field: string): void {
  if (!MESSAGE_ID.test(id))
    throw new MailError(`${field}: "${id}" is not a Message-ID like <local@domain>`, 'permanent');
}

/**
 * mimetext writes the whole subject as one base64 encoded-word, which breaks RFC 2047's 75-character limit
 * on long subjects; we keep its Subject field but give it a dump that folds into several encoded-words,
 * and leaves a plain ASCII subject readable.
 */
function setEncodedSubject(msg: MIMEMessage, subject: string): void {
  msg.setSubject(subject);
  const field = msg.headers.fields.find((f) => f.name === 'Subject');
  if (!field) throw new Error('mimetext no longer has a Subject field');
  field.dump = () => encodeHeaderText(subject);
}

/** RFC 2047 "B" encoding split on character boundaries, folded with CRLF SP; printable ASCII stays as it is. */
export function encodeHeaderText(value: string): string {
  const oneLine = value.replace(/\r?\n/g, ' ');
  if (/^[\x20-\x7e]*$/.test(oneLine) && oneLine.length <= 900 && !/=\?/.test(oneLine)) return oneLine;
  const prefix = '=?UTF-8?B?';
  const suffix = '?=';
  // 75 - 12 = 63 base64 characters at most, so 45 bytes (a multiple of 3) per word.
  const maxBytes = Math.floor((MAX_ENCODED_WORD - prefix.length - suffix.length) / 4) * 3;
  const encoder = new TextEncoder();
  const words: string[] = [];
  let current = '';
  for (const char of oneLine) {
    const candidate = current + char;
    if (encoder.encode(candidate).length > maxBytes) {
      words.push(current);
      current = char;
    } else {
      current = candidate;
    }
  }
  if (current || words.length === 0) words.push(current);
  return words.map((w) => `${prefix}${utf8ToBase64(w)}${suffix}`).join(`${CRLF} `);
}
