import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildMime, encodeHeaderText, followUpSubject } from './mime';
import { MailError, type OutgoingMessage } from './provider';

const NOW = Date.UTC(2024, 6, 2, 9, 30, 0);

const first: OutgoingMessage = {
  messageId: '<enr-1.step-1@threadline.example>',
  from: { address: 'rep@acme.example', name: 'Zoë Ñúñez' },
  to: [{ address: 'jurgen@prospect.example', name: 'Jürgen Müller, CTO' }],
  subject: 'Grüße aus München 🚀',
  html: '<p>Hallo Jürgen, <b>schön</b> dich kennenzulernen.</p>',
  text: 'Hallo Jürgen, schön dich kennenzulernen.',
};

const followUp: OutgoingMessage = {
  ...first,
  messageId: '<enr-1.step-2@threadline.example>',
  html: '<p>Nur ein kurzer Nachtrag…</p>',
  text: 'Nur ein kurzer Nachtrag…',
  thread: {
    threadId: 't-1',
    lastProviderMessageId: 'm-1',
    lastMessageId: '<enr-1.step-1@threadline.example>',
    references: ['<enr-1.step-1@threadline.example>'],
  },
  listUnsubscribe: { url: 'https://t.example/u/abc123', mailto: 'unsubscribe+abc123@t.example' },
};

const header = (email: Awaited<ReturnType<typeof PostalMime.parse>>, key: string) =>
  email.headers.find((h) => h.key === key)?.value;

describe('buildMime', () => {
  it('writes a first email that parses back with every header, both parts and non-ASCII intact', async () => {
    const raw = buildMime(first, NOW);
    const email = await PostalMime.parse(raw);

    expect(email.messageId).toBe('<enr-1.step-1@threadline.example>');
    expect(email.subject).toBe('Grüße aus München 🚀');
    expect(email.from).toEqual({ address: 'rep@acme.example', name: 'Zoë Ñúñez' });
    expect(email.to).toEqual([{ address: 'jurgen@prospect.example', name: 'Jürgen Müller, CTO' }]);
    expect(email.date).toBe('2024-07-02T09:30:00.000Z');
    expect(header(email, 'date')).toBe('Tue, 02 Jul 2024 09:30:00 +0000');
    expect(email.html).toBe(first.html);
    expect(email.text).toBe(first.text);
    expect(header(email, 'mime-version')).toBe('1.0');
    expect(header(email, 'content-type')).toMatch(/^multipart\/alternative; boundary=/);
    expect(email.inReplyTo).toBeUndefined();
    expect(email.references).toBeUndefined();
    expect(header(email, 'list-unsubscribe')).toBeUndefined();
  });

  it('uses CRLF line ends only, ASCII only, and no line over 998 characters', () => {
    const raw = buildMime({ ...first, html: `<p>${'x'.repeat(5000)}</p>` }, NOW);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(raw).not.toMatch(/[^\x20-\x7e\r\n]/);
    expect(Math.max(...raw.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
  });

  it('encodes non-ASCII headers as RFC 2047 words of at most 75 characters', () => {
    const raw = buildMime({ ...first, subject: 'Ünïcödé '.repeat(30) }, NOW);
    const words = raw.match(/=\?[^?]+\?[BQ]\?[^?]*\?=/gi) ?? [];
    expect(words.length).toBeGreaterThan(3);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
  });

  it('threads a follow-up under the previous email and prefixes Re: once', async () => {
    const email = await PostalMime.parse(buildMime(followUp, NOW));
    expect(email.subject).toBe('Re: Grüße aus München 🚀');
    expect(email.messageId).toBe('<enr-1.step-2@threadline.example>');
    expect(email.inReplyTo).toBe('<enr-1.step-1@threadline.example>');
    expect(email.references).toBe('<enr-1.step-1@threadline.example>');
    expect(email.text).toBe('Nur ein kurzer Nachtrag…');
    expect(email.html).toBe('<p>Nur ein kurzer Nachtrag…</p>');

    const again = await PostalMime.parse(buildMime({ ...followUp, subject: 'RE: Grüße' }, NOW));
    expect(again.subject).toBe('RE: Grüße');
  });

  it('lists every earlier Message-ID in References, ending with the one replied to', async () => {
    const thread = {
      ...followUp.thread!,
      lastMessageId: '<enr-1.step-2@threadline.example>',
      references: ['<enr-1.step-1@threadline.example>'],
    };
    const email = await PostalMime.parse(
      buildMime({ ...followUp, messageId: '<enr-1.step-3@t.example>', thread }, NOW),
    );
    expect(email.references?.split(/\s+/)).toEqual([
      '<enr-1.step-1@threadline.example>',
      '<enr-1.step-2@threadline.example>',
    ]);
    expect(email.inReplyTo).toBe('<enr-1.step-2@threadline.example>');
  });

  it('adds one-click unsubscribe headers (RFC 8058) when asked', async () => {
    const email = await PostalMime.parse(buildMime(followUp, NOW));
    expect(header(email, 'list-unsubscribe')).toBe(
      '<https://t.example/u/abc123>, <mailto:unsubscribe+abc123@t.example>',
    );
    expect(header(email, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const urlOnly = await PostalMime.parse(
      buildMime({ ...first, listUnsubscribe: { url: 'https://t.example/u/1' } }, NOW),
    );
    expect(header(urlOnly, 'list-unsubscribe')).toBe('<https://t.example/u/1>');
  });

  it('writes a single text part when there is no HTML', async () => {
    const email = await PostalMime.parse(buildMime({ ...first, html: '' }, NOW));
    expect(email.text).toBe(first.text);
    expect(email.html).toBeUndefined();
  });

  it('refuses header injection and malformed ids instead of writing them', () => {
    expect(() => buildMime({ ...first, messageId: 'no-brackets@x' }, NOW)).toThrow(MailError);
    expect(() => buildMime({ ...first, messageId: '<a@b>\r\nBcc: x@y' }, NOW)).toThrow(MailError);
    expect(() => buildMime({ ...first, to: [{ address: 'a@b.example>\r\nBcc: c@d' }] }, NOW)).toThrow(
      MailError,
    );
    expect(() => buildMime({ ...first, listUnsubscribe: { url: 'https://x> <evil' } }, NOW)).toThrow(
      MailError,
    );
  });

  it('keeps a subject with a line break on one header line', async () => {
    const raw = buildMime({ ...first, subject: 'Hello\r\nBcc: victim@x.example' }, NOW);
    const email = await PostalMime.parse(raw);
    expect(email.headers.some((h) => h.key === 'bcc')).toBe(false);
    expect(email.subject).toBe('Hello Bcc: victim@x.example');
  });
});

describe('followUpSubject', () => {
  it('prefixes Re: unless the subject already starts with it', () => {
    expect(followUpSubject('Quick question')).toBe('Re: Quick question');
    expect(followUpSubject('Re: Quick question')).toBe('Re: Quick question');
    expect(followUpSubject('re:Quick')).toBe('re:Quick');
    expect(followUpSubject('Regarding pricing')).toBe('Re: Regarding pricing');
  });
});

describe('encodeHeaderText', () => {
  it('leaves plain ASCII readable and encodes the rest', () => {
    expect(encodeHeaderText('Quick question')).toBe('Quick question');
    expect(encodeHeaderText('Café')).toBe('=?UTF-8?B?Q2Fmw6k=?=');
  });
});
