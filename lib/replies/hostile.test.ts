import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailsIn } from './addresses';
import { classify } from './classify';
import { parseHeaders } from './headers';
import { htmlToText, TEXT_LIMIT } from './html-text';
import { LINE_LIMIT, PART_LIMIT, parseInbound, RAW_LIMIT, UnreadableMessageError } from './parse';
import type { ClassificationKind, InboundMessage } from './types';

// Everything the watcher reads comes from strangers. These properties say: whatever the bytes, parsing either
// gives a message whose every part handed to the rules is capped, or throws UnreadableMessageError (which
// the watcher records as unreadable); classification never throws. Bounded work is asserted through those
// caps and through what lies beyond RAW_LIMIT never being read, never through wall-clock time.

const KINDS: ClassificationKind[] = [
  'human_reply',
  'auto_reply',
  'out_of_office',
  'bounce',
  'meeting',
  'unsubscribe_request',
  'complaint',
  'challenge',
  'other',
];
const ctx = { contactEmail: 'jane@example.org', repAddresses: ['sam@example.com'] };

function expectBounded(msg: InboundMessage): void {
  expect(msg.text.length).toBeLessThanOrEqual(TEXT_LIMIT);
  expect((msg.html ?? '').length).toBeLessThanOrEqual(TEXT_LIMIT);
  expect(msg.subject.length).toBeLessThanOrEqual(2000);
  expect(msg.partTypes.length).toBeLessThanOrEqual(64);
  expect(msg.calendars.length).toBeLessThanOrEqual(8);
  expect(msg.deliveryStatus?.recipients.length ?? 0).toBeLessThanOrEqual(128);
}

/** Parses and classifies; returns the kind, or 'unreadable' when parseInbound refused with the typed error. */
async function outcome(raw: string | Uint8Array): Promise<ClassificationKind | 'unreadable'> {
  let msg: InboundMessage;
  try {
    msg = await parseInbound(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(UnreadableMessageError);
    return 'unreadable';
  }
  expectBounded(msg);
  const c = classify(msg, ctx);
  expect(KINDS).toContain(c.kind);
  return c.kind;
}

// ---- generators -------------------------------------------------------------------------------------------

const junk = fc.string({ unit: 'binary', maxLength: 200 });
const headerName = fc.oneof(
  fc.constantFrom('From', 'To', 'Cc', 'Subject', 'Content-Type', 'Content-Transfer-Encoding', 'Message-ID'),
  fc.constantFrom('In-Reply-To', 'References', 'Auto-Submitted', 'X-Failed-Recipients', 'Date', 'Received'),
  fc.string({ minLength: 1, maxLength: 30 }),
);
const headerValue = fc.oneof(
  junk,
  fc.constantFrom(
    '=?utf-8?B?!!!not base64!!!?=',
    '=?x-unknown-charset?Q?caf=E9?=',
    '=?utf-8?Q?broken=ZZ=?=',
    '"unclosed quote <a@b',
    'a@b, , ,, <<>>, @@@',
    'Group: a@example.org, b@;',
    'multipart/mixed; boundary=',
    'text/plain; charset="no-such-charset"',
    'text/html; charset=utf-7',
    'base64',
    'quoted-printable',
    'auto-replied',
  ),
);
const header = fc
  .tuple(headerName, headerValue, fc.constantFrom('\r\n', '\n', '\r\n\t', '\n '))
  .map(([n, v, eol]) => `${n}: ${v}${eol}`);

const hostileHtml = fc.constantFrom(
  '<a',
  '<a href="',
  '<!--',
  '<div>',
  '<blockquote>',
  '</blockquote>',
  '<script>',
  '<style>',
  '<head>',
  '&#',
  '&#x110000;',
  '&amp',
  '<![CDATA[',
  '<?xml',
  '<!DOCTYPE',
  '<table><tr><td>',
  '<br/>',
  'text ',
  'On Mon, Jane wrote:',
  '550 5.1.1 user unknown ',
  'jane@example.org ',
);
const htmlBody = fc
  .array(fc.tuple(hostileHtml, fc.integer({ min: 1, max: 50 })), { maxLength: 30 })
  .map((parts) => parts.map(([s, n]) => s.repeat(n)).join(''));

const payload = fc.oneof(
  junk,
  htmlBody,
  fc.constantFrom(
    'SGVsbG8gd29ybGQ!!!###', // broken base64
    '=ZZ=\r\n=4=\r\n=', // broken quoted-printable
    'Final-Recipient: rfc822; \r\nAction: failed\r\nStatus: 9.9.9\r\n',
    'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nATTENDEE;PARTSTAT=\r\n',
    'Feedback-Type: abuse\r\n',
  ),
);
const contentType = fc.constantFrom(
  'text/plain',
  'text/html',
  'text/plain; charset=x-no-such',
  'message/delivery-status',
  'message/feedback-report',
  'message/rfc822',
  'text/calendar; method=REQUEST',
  'application/octet-stream',
  'multipart/report; report-type=delivery-status',
);
const encoding = fc.constantFrom('7bit', '8bit', 'base64', 'quoted-printable', 'x-uuencode', 'bogus');

interface Part {
  type: string;
  encoding: string;
  body: string;
  children: Part[];
}
const part: fc.Arbitrary<Part> = fc.letrec<{ part: Part }>((tie) => ({
  part: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: contentType, encoding, body: payload, children: fc.constant<Part[]>([]) }),
    fc.record({
      type: fc.constantFrom('multipart/mixed', 'multipart/alternative', 'multipart/report'),
      encoding: fc.constant('7bit'),
      body: fc.constant(''),
      children: fc.array(tie('part'), { maxLength: 4 }),
    }),
  ),
})).part;

let boundaryCount = 0;
function render(p: Part): string {
  if (p.children.length === 0 && !p.type.startsWith('multipart/'))
    return `Content-Type: ${p.type}\r\nContent-Transfer-Encoding: ${p.encoding}\r\n\r\n${p.body}\r\n`;
  const b = `b${boundaryCount++}`;
  return `Content-Type: ${p.type}; boundary="${b}"\r\n\r\n${p.children
    .map((c) => `--${b}\r\n${render(c)}`)
    .join('')}--${b}--\r\n`;
}

const message = fc
  .tuple(fc.array(header, { maxLength: 12 }), part, fc.boolean())
  .map(([hs, p, closeHeaders]) => `${hs.join('')}${closeHeaders ? '' : 'X-Open: '}${render(p)}`);

// ---- properties -------------------------------------------------------------------------------------------

describe('hostile input: every message is classified or marked unreadable, within the caps', () => {
  it('generated MIME: malformed headers, broken encodings, unknown charsets, nesting, hostile HTML', async () => {
    await fc.assert(
      fc.asyncProperty(message, async (raw) => {
        await outcome(raw);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4000 }), async (bytes) => {
        await outcome(bytes);
        expect(() => parseHeaders(bytes)).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('htmlToText never throws and never gives more than TEXT_LIMIT characters', () => {
    fc.assert(
      fc.property(htmlBody, fc.string(), (html, tail) => {
        expect(htmlToText(html + tail).length).toBeLessThanOrEqual(TEXT_LIMIT);
      }),
      { numRuns: 300 },
    );
  });

  it('htmlToText keeps plain words as they are', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 1, maxLength: 50 }), (words) => {
        expect(htmlToText(`<p>${words.join(' ')}</p>`)).toBe(words.join(' '));
      }),
    );
  });

  it('emailsIn only returns well-formed addresses, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 500 }), (text) => {
        for (const a of emailsIn(text))
          expect(a).toMatch(/^[a-z0-9._%+'=-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/);
      }),
    );
  });
});

describe('hostile shapes, one by one', () => {
  const reply = (body: string, type = 'text/plain') =>
    `From: Jane <jane@example.org>\r\nTo: sam@example.com\r\nSubject: Re: hello\r\nIn-Reply-To: <x@example.com>\r\nContent-Type: ${type}\r\n\r\n${body}`;

  it('a 10 MB attachment after the reply: the reply is read, the attachment is never decoded in full', async () => {
    const b64 = 'QUJD'.repeat((10 * 1024 * 1024) / 4);
    const raw =
      'From: Jane <jane@example.org>\r\nTo: sam@example.com\r\nSubject: Re: hello\r\n' +
      'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\n' +
      'Sounds good, let us talk Tuesday.\r\n--m\r\nContent-Type: application/zip\r\n' +
      `Content-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--m--\r\n`;
    expect(await outcome(raw)).toBe('human_reply');
  });

  it('nothing beyond RAW_LIMIT is read: a calendar part after a long filler is not seen', async () => {
    const filler = 'x'.repeat(RAW_LIMIT);
    const raw =
      'From: Jane <jane@example.org>\r\nTo: sam@example.com\r\nSubject: Re: hello\r\n' +
      'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\n' +
      `Fine.\r\n--m\r\nContent-Type: application/octet-stream\r\n\r\n${filler}\r\n--m\r\n` +
      'Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n--m--\r\n';
    const msg = await parseInbound(raw);
    expect(msg.calendars).toEqual([]);
    expect(msg.text.trim()).toBe('Fine.');
  });

  it('nothing beyond LINE_LIMIT lines is read: a calendar part after many short lines is not seen', async () => {
    const filler = 'x\r\n'.repeat(LINE_LIMIT);
    const raw =
      'From: Jane <jane@example.org>\r\nTo: sam@example.com\r\nSubject: Re: hello\r\n' +
      'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\n' +
      `Fine.\r\n--m\r\nContent-Type: application/octet-stream\r\n\r\n${filler}--m\r\n` +
      'Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n--m--\r\n';
    const msg = await parseInbound(raw);
    expect(msg.calendars).toEqual([]);
    expect(msg.text.trim()).toBe('Fine.');
    // Well within the limit, the same part is read.
    const short = raw.replace(filler, 'x\r\n');
    expect((await parseInbound(short)).calendars).toHaveLength(1);
  });

  it('zip-bomb-like repetition: a hundred thousand tiny parts are not each looked at', async () => {
    const parts = '--r\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n'.repeat(100_000);
    const raw = `From: MAILER-DAEMON@example.net\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n${parts}--r--\r\n`;
    expect(await outcome(raw)).toBe('bounce');
  });

  it('a delivery-status part larger than PART_LIMIT is read only up to it', async () => {
    const recipients =
      'Final-Recipient: rfc822; a@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n'.repeat(
        PART_LIMIT / 40,
      );
    const raw = `From: MAILER-DAEMON@example.net\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n${recipients}--r--\r\n`;
    const msg = await parseInbound(raw);
    expectBounded(msg);
    expect(classify(msg, ctx).bounce?.reason).toBe('userunknown');
  });

  it.each([
    ['unclosed <a', '<a'.repeat(500_000)],
    ['unclosed attributes', '<a href="x" '.repeat(80_000)],
    ['unclosed comments', '<!--'.repeat(250_000)],
    ['deep nesting', '<div><blockquote>'.repeat(60_000)],
    ['one long line', 'a'.repeat(1_000_000)],
    ['repetition', '<p>hello <b>world</b></p>'.repeat(40_000)],
  ])('HTML-only body of %s (about 1 MB)', async (_, html) => {
    expect(await outcome(reply(html, 'text/html'))).not.toBe('unreadable');
  });

  it('a one-megabyte single-line plain body and a one-megabyte header line', async () => {
    expect(await outcome(reply(`${'word '.repeat(200_000)}`))).not.toBe('unreadable');
    expect(await outcome(`X-Long: ${'h'.repeat(1_000_000)}\r\n${reply('ok')}`)).toBe('human_reply');
  });

  it('multipart nesting deeper than any real mail is unreadable, a normal depth is read', async () => {
    const nest = (depth: number) => {
      let raw = 'From: jane@example.org\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n';
      for (let i = 1; i < depth; i++)
        raw += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary=b${i}\r\n\r\n`;
      return `${raw}--b${depth - 1}\r\nContent-Type: text/plain\r\n\r\nhello\r\n`;
    };
    expect(await outcome(nest(10))).toBe('human_reply');
    expect(await outcome(nest(200))).toBe('unreadable');
  });

  it('a quoted attribution line padded with whitespace does not make quote stripping backtrack', async () => {
    const line = `On Monday Jane wrote${' '.repeat(30_000)}x`;
    expect(await outcome(reply(`Yes please.\n${line}\n> old`))).toBe('human_reply');
  });
});
