/**
 * "Simulate a reply / out-of-office / bounce" on the demo inbox: the message the contact (or their mail
 * server) would send back, injected through the sandbox's own injection path like any inbound mail. Each is
 * written the way real ones are (an Exchange out-of-office with Auto-Submitted, an RFC 3464 delivery status
 * notification from Exchange), so Threadline's classifier has to recognise it on its own.
 */
import { randomBytes } from 'node:crypto';
import type { InjectJson } from '../world';
import type { DemoConversation, DemoPerson, SimulateKind } from './client/types';

export interface Original {
  /** RFC 5322 Message-ID, with angle brackets. */
  messageId: string;
  references: string[];
  subject: string;
  date: number;
}

const topic = (subject: string) => subject.replace(/^(\s*(re|fwd?|aw|sv)\s*:\s*)+/i, '').trim();
const firstName = (p: DemoPerson) => (p.name.includes('@') ? '' : (p.name.split(/\s+/)[0] ?? ''));
const rfc5322Date = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/** RFC 2047 for a header value that is not plain ASCII. */
function encodeWord(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function mailbox(p: DemoPerson): string {
  return p.name && p.name !== p.address
    ? `${encodeWord(`"${p.name.replace(/["\\]/g, '')}"`)} <${p.address}>`
    : p.address;
}

export function replyFrom(contact: DemoPerson, original: Original, rep: DemoPerson, now: number): InjectJson {
  const hello = firstName(rep) ? `Hi ${firstName(rep)},` : 'Hi,';
  return {
    from: `${contact.name} <${contact.address}>`,
    subject: `Re: ${topic(original.subject)}`,
    text: `${hello}\n\nThanks for reaching out, good timing. Could we talk on Thursday afternoon? I will bring our numbers.\n\nBest,\n${contact.name}`,
    inReplyTo: original.messageId,
    references: [...original.references, original.messageId],
    date: new Date(now).toISOString(),
  };
}

export function outOfOfficeFrom(contact: DemoPerson, original: Original, now: number): InjectJson {
  const back = new Date(now + 7 * 86_400_000).toLocaleDateString('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return {
    from: `${contact.name} <${contact.address}>`,
    subject: `Automatic reply: ${topic(original.subject)}`,
    text: `Thank you for your message. I am out of the office until ${back} with limited access to email, and will reply when I am back.\n\n${contact.name}`,
    inReplyTo: original.messageId,
    references: [...original.references, original.messageId],
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    date: new Date(now).toISOString(),
  };
}

/** Exchange Online's non-delivery report for the contact's address: multipart/report with a delivery status. */
export function bounceFor(contact: DemoPerson, original: Original, rep: DemoPerson, now: number): string {
  const repDomain = rep.address.split('@')[1] ?? 'sandbox.example';
  const [user, domain] = contact.address.split('@');
  const boundary = `_000_ndr_${randomBytes(6).toString('hex')}_`;
  const diagnostic = `550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient ${contact.address} not found by SMTP address lookup`;
  return [
    `From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${repDomain}>`,
    `To: ${mailbox(rep)}`,
    `Date: ${rfc5322Date(now)}`,
    `Subject: ${encodeWord(`Undeliverable: ${topic(original.subject)}`)}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${repDomain}>`,
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    'MIME-Version: 1.0',
    'X-MS-Exchange-Message-Is-Ndr:',
    'Auto-Submitted: auto-replied',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset="us-ascii"',
    '',
    `Your message to ${contact.address} couldn't be delivered.`,
    `${user} wasn't found at ${domain}.`,
    '',
    `Remote Server returned '${diagnostic}'`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns;${repDomain}`,
    `Arrival-Date: ${rfc5322Date(original.date)}`,
    '',
    `Final-Recipient: rfc822;${contact.address}`,
    'Action: failed',
    'Status: 5.1.10',
    `Diagnostic-Code: smtp;${diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${mailbox(rep)}`,
    `To: ${mailbox(contact)}`,
    `Subject: ${encodeWord(original.subject)}`,
    `Date: ${rfc5322Date(original.date)}`,
    `Message-ID: ${original.messageId}`,
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/**
 * The message a simulated answer answers: the newest one the rep sent the contact in the conversation, else
 * the newest in it.
 */
export function answeredMessage(conversation: DemoConversation, contact: string, rep: string) {
  const toContact = conversation.messages.find(
    (m) => m.from.address === rep && [...m.to, ...m.cc].some((p) => p.address === contact),
  );
  return toContact ?? conversation.messages[0];
}

export type Simulated = { kind: SimulateKind; message: string | InjectJson };

export function simulated(
  kind: SimulateKind,
  contact: DemoPerson,
  original: Original,
  rep: DemoPerson,
  now: number,
): Simulated {
  if (kind === 'reply') return { kind, message: replyFrom(contact, original, rep, now) };
  if (kind === 'out_of_office') return { kind, message: outOfOfficeFrom(contact, original, now) };
  return { kind, message: bounceFor(contact, original, rep, now) };
}
