import { describe, expect, it } from 'vitest';
import { HEADER_LIMIT, headerHints, parseHeaders } from './headers';

const raw = [
  'Received: from mx.example.org by mx.example.com; Mon, 2 Mar 2026 10:00:00 +0000',
  'From: =?UTF-8?Q?Ada_L=C3=B6velace?= <Ada@Example.org>',
  'To: rep@example.com, "Team" <team@example.com>',
  'Cc: Group: one@example.net, two@example.net;',
  'Subject: =?UTF-8?B?UmU6IMOcYmVyIGRpZSBEZW1v?=',
  '  folded',
  'Message-ID: <m1@example.org>',
  'In-Reply-To: <ours@example.com>',
  'References: <first@example.com>',
  '\t<ours@example.com>',
  'Date: Mon, 2 Mar 2026 10:00:00 +0100',
  'Content-Type: Multipart/Report; report-type=delivery-status; boundary="b"',
  '',
  'Body: not a header',
].join('\r\n');

describe('parseHeaders', () => {
  it('reads the top-level header block only, decoded and unfolded', () => {
    const h = parseHeaders(raw);
    expect(h.from).toEqual({ address: 'ada@example.org', name: 'Ada Lövelace' });
    expect(h.to.map((a) => a.address)).toEqual(['rep@example.com', 'team@example.com']);
    expect(h.cc.map((a) => a.address)).toEqual(['one@example.net', 'two@example.net']);
    expect(h.subject).toBe('Re: Über die Demo folded');
    expect(h.messageId).toBe('<m1@example.org>');
    expect(h.inReplyTo).toBe('<ours@example.com>');
    expect(h.references).toEqual(['<first@example.com>', '<ours@example.com>']);
    expect(h.contentType).toBe('multipart/report');
    expect(h.date).toBe('Mon, 2 Mar 2026 10:00:00 +0100');
    expect(h.headers.some((f) => f.name === 'body')).toBe(false);
  });

  it('gives the same answer for bytes as for a string', () => {
    expect(parseHeaders(new TextEncoder().encode(raw))).toEqual(parseHeaders(raw));
  });

  it('reads at most HEADER_LIMIT characters of an endless header block', () => {
    const huge = `From: a@example.org\nX-Filler: ${'x'.repeat(HEADER_LIMIT * 4)}\nSubject: never reached\n\nbody`;
    const h = parseHeaders(huge);
    expect(h.from?.address).toBe('a@example.org');
    expect(h.subject).toBe('');
    const filler = h.headers.find((f) => f.name === 'x-filler')?.value ?? '';
    expect(filler.length).toBeLessThan(HEADER_LIMIT);
  });

  it('reads many folded continuation lines into one value', () => {
    const folded = `Subject: start\n${Array.from({ length: 2000 }, (_, i) => ` w${i}`).join('\n')}\n\n`;
    const h = parseHeaders(folded);
    expect(h.subject.split(' ')).toHaveLength(2001);
  });

  it('never throws on garbage and gives text/plain with no recipients', () => {
    const h = parseHeaders(new Uint8Array([0xff, 0xfe, 0x00, 0x3a, 0x0a, 0x0a]));
    expect(h).toMatchObject({ to: [], cc: [], subject: '', references: [], contentType: 'text/plain' });
  });
});

describe('headerHints', () => {
  it('says report, mail system and automatic from the top-level headers only', () => {
    expect(headerHints(parseHeaders(raw))).toEqual({ report: true, mailSystem: false, automatic: false });
    const dsn = 'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\nContent-Type: text/plain\n\nx';
    expect(headerHints(parseHeaders(dsn))).toEqual({ report: false, mailSystem: true, automatic: false });
    const ooo = 'From: ada@example.org\nAuto-Submitted: auto-replied\n\nx';
    expect(headerHints(parseHeaders(ooo))).toEqual({ report: false, mailSystem: false, automatic: true });
    const person = 'From: ada@example.org\nAuto-Submitted: no\n\nx';
    expect(headerHints(parseHeaders(person)).automatic).toBe(false);
  });
});
