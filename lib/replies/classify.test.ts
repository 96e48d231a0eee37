import { describe, expect, it } from 'vitest';
import { classify } from './classify';
import { fixtures } from './fixtures.test-helper';
import { parseInbound } from './parse';

const rep = { repAddresses: ['sam.rep@example.com'] };

function eml(headers: Record<string, string>, body: string): string {
  const base: Record<string, string> = {
    From: 'Jane Doe <jane.doe@example.org>',
    To: 'Sam Rep <sam.rep@example.com>',
    Subject: 'Re: Quick question about onboarding',
    Date: 'Mon, 2 Mar 2026 10:00:00 +0000',
    'In-Reply-To': '<tl-enr42-step1@example.com>',
    'Content-Type': 'text/plain; charset=UTF-8',
    ...headers,
  };
  return `${Object.entries(base)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;
}

async function kindOf(raw: string, ctx = rep) {
  return classify(await parseInbound(raw), ctx);
}

describe('every fixture is classified as the folder it sits in', () => {
  it('has at least 40 fixtures covering every kind', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(new Set(fixtures.map((f) => f.kind))).toEqual(
      new Set([
        'human_reply',
        'auto_reply',
        'out_of_office',
        'bounce',
        'meeting',
        'unsubscribe_request',
        'complaint',
        'challenge',
        'other',
      ]),
    );
  });

  it.each(fixtures.map((f) => [`${f.kind}/${f.name}`, f] as const))('%s', async (_, f) => {
    const c = classify(await parseInbound(f.raw), rep);
    expect(c.kind).toBe(f.kind);
    if (f.kind === 'out_of_office') expect(c.returnDate).toBe(f.expected.returnDate);
    if (f.kind === 'bounce') {
      expect(c.bounce).toMatchObject(f.expected.bounce ?? {});
      expect(c.bounce?.status).toBe(f.expected.bounce?.status);
      expect(c.bounce?.reason).toBe(f.expected.bounce?.reason);
    }
    if (f.kind === 'complaint' && f.expected.complaint)
      expect(c.complaint).toMatchObject(f.expected.complaint);
  });
});

describe('precedence between rules', () => {
  it('never takes the rep’s own message for a reply', async () => {
    const c = await kindOf(eml({ From: 'Sam Rep <Sam.Rep@example.com>' }, 'Thanks, talk soon!'));
    expect(c.kind).toBe('other');
  });

  it('calls a DSN a bounce even though it is auto-submitted and says "out of office" in the returned copy', async () => {
    const raw = fixtures.find((f) => f.name === 'postfix-user-unknown.eml')?.raw ?? '';
    const c = await kindOf(raw.replace('Hi Jane, quick question.', 'I am out of the office until 9 March.'));
    expect(c.kind).toBe('bounce');
  });

  it('reads an out-of-office without any auto-reply header from its wording', async () => {
    const c = await kindOf(eml({}, 'I am out of the office until 9 March with no access to email.'));
    expect(c).toMatchObject({ kind: 'out_of_office', returnDate: '2026-03-09' });
  });

  it('files an "Automatic reply" without away wording as a plain auto-reply', async () => {
    const c = await kindOf(
      eml({ Subject: 'Automatic reply: Quick question' }, 'Your message has been forwarded to sales.'),
    );
    expect(c.kind).toBe('auto_reply');
  });

  it('ignores an unsubscribe link that only appears in the quoted original', async () => {
    const body =
      'Happy to chat on Thursday.\r\n\r\nOn Mon, 2 Mar 2026, Sam Rep wrote:\r\n> unsubscribe here\r\n';
    expect((await kindOf(eml({}, body))).kind).toBe('human_reply');
  });

  it('puts a person’s "remove me" ahead of an ordinary human reply', async () => {
    expect((await kindOf(eml({}, 'Please take me off your list.'))).kind).toBe('unsubscribe_request');
  });

  it('treats Auto-Submitted: no as a person even with a Precedence header', async () => {
    const c = await kindOf(eml({ 'Auto-Submitted': 'no', Precedence: 'bulk' }, 'Sure, send the deck.'));
    expect(c.kind).toBe('human_reply');
  });

  it('does not take a long reply that mentions unsubscribing in passing for a request to stop', async () => {
    const long = `We tried to unsubscribe from a vendor last year and it was painful. ${'More context. '.repeat(100)}`;
    expect((await kindOf(eml({}, long))).kind).toBe('human_reply');
  });

  it('keeps a calendar REQUEST from the rep out of "meeting booked"', async () => {
    const ics =
      'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nORGANIZER:mailto:sam.rep@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const c = await kindOf(eml({ 'Content-Type': 'text/calendar; method=REQUEST' }, ics));
    expect(c.kind).not.toBe('meeting');
  });
});

describe('bounces', () => {
  it('names the contact when a multi-recipient DSN lists several failures', async () => {
    const raw = fixtures.find((f) => f.name === 'rfc3464-multi-recipient.eml')?.raw ?? '';
    const c = classify(await parseInbound(raw), { contactEmail: 'mrose@example.org' });
    expect(c.bounce).toMatchObject({ recipient: 'wsnell@example.org', permanent: true });
  });

  it('marks a DSN with Action: delayed as a soft, non-terminal bounce', async () => {
    const raw = fixtures.find((f) => f.name === 'rfc3464-delayed.eml')?.raw ?? '';
    expect((await kindOf(raw)).bounce).toMatchObject({ permanent: false, delayed: true });
  });

  it('does not take a human forwarding question about a bounce for a bounce', async () => {
    const c = await kindOf(
      eml({ Subject: 'Re: Undeliverable: Quick question' }, 'Did my last email reach you?'),
    );
    expect(c.kind).toBe('human_reply');
  });
});

describe('speed', () => {
  it('classifies a parsed message in well under a millisecond on average', async () => {
    const parsed = await Promise.all(fixtures.map((f) => parseInbound(f.raw)));
    const rounds = 20;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) for (const m of parsed) classify(m, rep);
    const perMessageMs = (performance.now() - start) / (rounds * parsed.length);
    expect(perMessageMs).toBeLessThan(2);
  });
});

describe('away wording in a person’s reply', () => {
  it('stays a human reply when the person asks the reader something', async () => {
    const body = "Thanks! I'm out of office next week - can we talk on 16 March?";
    expect((await kindOf(eml({}, body))).kind).toBe('human_reply');
  });
});

describe('a person’s reply is never taken for a bounce, complaint, challenge or report', () => {
  it.each([
    [
      'an admin with an official-sounding name',
      { From: 'System Administrator <it@example.org>' },
      'Thanks Sam, I run IT here. Happy to talk Tuesday.',
    ],
    [
      'a reply to a bounce',
      { Subject: 'Re: Undeliverable: Quick question about onboarding' },
      'Got it, thanks - this address works.',
    ],
    [
      'failure words in the new text',
      {},
      'Your message could not be delivered to my old address. Use this one, and yes let us talk.',
    ],
    ['challenge words in jest', {}, 'Please verify that you are human? Just kidding. Sure, Monday works.'],
    ['complaint words', {}, 'I marked your last email as spam by accident, sorry! Monday works.'],
    ['a full mailbox', {}, 'Our mailbox is full of vendor pitches, but yours is interesting. Call me.'],
    [
      'a reply to a DSN subject',
      { Subject: 'Re: Delivery Status Notification (Failure)' },
      'Ha, my spam filter bounced you. Fixed now, let us talk.',
    ],
  ])('%s', async (_, headers, body) => {
    expect((await kindOf(eml(headers, body))).kind).toBe('human_reply');
  });
});
