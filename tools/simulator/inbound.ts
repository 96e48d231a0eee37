import type { InjectJson } from '../sandbox/world';

/**
 * What a contact's mail server sends back for each scenario event, as real messages: with `--mail=sandbox`
 * the simulator injects these into the sandbox and lets the reply watcher and the classifier decide, instead
 * of telling the engine directly. Generated test input, so plain templates are fine here.
 */
export interface InboundContext {
  contact: string;
  rep: string;
  /** The last email the contact received, which they answer. */
  lastMessageId?: string;
  subject: string;
  at: number;
  returnDate?: string;
}

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const spelled = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
};

export function inboundFor(type: string, c: InboundContext): string | InjectJson | undefined {
  const base = {
    from: c.contact,
    date: rfc2822(c.at),
    ...(c.lastMessageId ? { inReplyTo: c.lastMessageId, references: [c.lastMessageId] } : {}),
  };
  switch (type) {
    case 'reply':
      return {
        ...base,
        subject: `Re: ${c.subject}`,
        text: 'Thanks for reaching out. Happy to talk next week, does Tuesday work?',
      };
    case 'unsubscribe':
      return {
        ...base,
        subject: `Re: ${c.subject}`,
        text: 'Please remove me from your list and stop emailing me.',
      };
    case 'auto_reply':
      return {
        ...base,
        subject: `Automatic reply: ${c.subject}`,
        text: 'Thank you for contacting us. Your request has been received and a member of our team will respond within 2 business days. Ticket #48213.',
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
      };
    case 'out_of_office':
      return {
        ...base,
        subject: `Automatic reply: ${c.subject}`,
        text: c.returnDate
          ? `I am out of the office until ${spelled(c.returnDate)} with limited access to email.`
          : 'I am currently out of the office with limited access to email.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      };
    case 'bounce':
      return dsn(c);
    case 'meeting_booked':
      return invitation(c);
    default:
      return undefined;
  }
}

function dsn(c: InboundContext): string {
  const boundary = 'dsn-boundary-7f3a';
  return [
    `From: Mail Delivery System <MAILER-DAEMON@mx.${c.contact.split('@')[1]}>`,
    `To: ${c.rep}`,
    `Date: ${rfc2822(c.at)}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <dsn.${c.at}@mx.example>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `I'm sorry to have to inform you that your message could not be delivered to ${c.contact}.`,
    `<${c.contact}>: host mx.example said: 550 5.1.1 User unknown`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example',
    '',
    `Final-Recipient: rfc822; ${c.contact}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${c.rep}`,
    `To: ${c.contact}`,
    `Subject: ${c.subject}`,
    ...(c.lastMessageId ? [`Message-ID: ${c.lastMessageId}`] : []),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

function invitation(c: InboundContext): string {
  const boundary = 'cal-boundary-91c2';
  const stamp = new Date(c.at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const start = new Date(c.at + 3 * 86_400_000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return [
    `From: ${c.contact}`,
    `To: ${c.rep}`,
    `Date: ${rfc2822(c.at)}`,
    `Subject: Invitation: Intro call`,
    `Message-ID: <invite.${c.at}@${c.contact.split('@')[1]}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'You have been invited to: Intro call',
    '',
    `--${boundary}`,
    'Content-Type: text/calendar; charset=utf-8; method=REQUEST',
    '',
    'BEGIN:VCALENDAR',
    'PRODID:-//Example//Calendar//EN',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${c.at}@${c.contact.split('@')[1]}`,
    `DTSTAMP:${stamp}`,
    `DTSTART:${start}`,
    'SUMMARY:Intro call',
    `ORGANIZER;CN=Contact:mailto:${c.contact}`,
    `ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${c.rep}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
