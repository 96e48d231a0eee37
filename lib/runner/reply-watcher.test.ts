/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import type { MailProvider } from '../mail/provider';
import type { RunnerDeps } from './deps';
import { enrollContacts } from './enroll';
import { addSequence, createTestRunner, emailStep, runUntil } from './testing';
import { readingKey } from './inbound';
import { watchMailbox } from './reply-watcher';
import { REPLY_TEXT_MAX } from './reply-text';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;

/** Ada enrolled and emailed once, the watcher's cursor set; `calls` counts what the watcher asks the mailbox. */
async function setUp() {
  const t = createTestRunner({ now: NOW });
  await addSequence(t.db, { steps: [emailStep('a'), emailStep('b', { value: 2, unit: 'days' })] });
  const report = await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }],
  });
  await runUntil(t, NOW + HOUR);
  const calls: string[] = [];
  const counted: MailProvider = {
    ...t.mail,
    kind: t.mail.kind,
    mailbox: t.mail.mailbox,
    changesSince: (c) => t.mail.changesSince(c),
    getHeaders: (id) => (calls.push(`headers ${id}`), t.mail.getHeaders(id)),
    getMessage: (id) => (calls.push(`message ${id}`), t.mail.getMessage(id)),
  };
  const deps: RunnerDeps = { ...t.deps, mailFor: () => counted };
  await watchMailbox(deps, t.rep.email);
  const first = t.mail.sent[0]!;
  const enrollmentId = report.enrolled[0]!.enrollmentId;
  return { ...t, deps, calls, first, enrollmentId };
}

describe('the reply watcher reads strangers’ mail safely', () => {
  it('decides from the header block alone that a stranger’s message does not matter, and never fetches its body', async () => {
    const t = await setUp();
    const spam = await t.mail.inject({ from: 'deals@spam.example', subject: 'Offer', text: 'Buy' });
    const watched = await watchMailbox(t.deps, t.rep.email);
    expect(watched.looked).toBe(1);
    expect(t.calls).toEqual([`headers ${spam.providerMessageId}`]);
    expect(await t.db.inbound.get(`${t.rep.email}:${spam.providerMessageId}`)).toMatchObject({
      kind: 'skipped',
    });
  });

  it('reads a reply in a watched thread without a header look first, and records it as seen before parsing it', async () => {
    const t = await setUp();
    const reply = await t.mail.inject({
      from: 'Ada <ada@acme.example>',
      subject: 'Re: Hello Ada',
      text: 'Sounds good, call me Thursday.',
      inReplyTo: t.first.messageId,
    });
    let seenFirst: unknown;
    const deps = {
      ...t.deps,
      mailFor: () => ({
        ...t.deps.mailFor(t.rep.email)!,
        getMessage: async (id: string) => {
          seenFirst = await t.db.inbound.get(`${t.rep.email}:${id}`);
          return t.mail.getMessage(id);
        },
      }),
    };
    const watched = await watchMailbox(deps, t.rep.email);
    expect(seenFirst).toMatchObject({ kind: 'reading' });
    expect(watched.signals).toEqual([{ email: 'ada@acme.example', kind: 'human_reply' }]);
    expect(t.calls).toEqual([]);
    expect(await t.db.inbound.get(`${t.rep.email}:${reply.providerMessageId}`)).toMatchObject({
      kind: 'human_reply',
    });
  });

  it('counts a read that runs past its time budget as unreadable, and pauses the contact for the rep', async () => {
    const t = await setUp();
    const reply = await t.mail.inject({
      from: 'Ada <ada@acme.example>',
      subject: 'Re: Hello Ada',
      text: 'Yes, let us talk.',
      inReplyTo: t.first.messageId,
    });
    // A stopwatch on which every look is ten seconds later: the read took longer than the budget.
    let elapsed = 0;
    const watched = await watchMailbox(t.deps, t.rep.email, {
      budgetMs: 5_000,
      stopwatch: () => (elapsed += 10_000),
    });
    expect(watched.signals).toEqual([{ email: 'ada@acme.example', kind: 'unreadable' }]);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'paused',
      pauseReason: 'needs_attention',
      attention: {
        kind: 'unreadable_message',
        detail: 'A message from Ada could not be read: open it',
        providerMessageId: reply.providerMessageId,
        from: 'ada@acme.example',
      },
    });
    // Nothing goes to Ada while it waits; the rep resumes and the attention is gone.
    await runUntil(t, NOW + 5 * 24 * HOUR);
    expect(t.mail.sent).toHaveLength(1);
  });

  it('reads a message again after the worker died reading it, and gives up after three deaths', async () => {
    const t = await setUp();
    const reply = await t.mail.inject({
      from: 'Ada <ada@acme.example>',
      subject: 'Re: Hello Ada',
      text: 'Sounds good, call me Thursday.',
      inReplyTo: t.first.messageId,
    });
    // The first death while reading it (readInbound had written both records before parsing).
    await t.db.inbound.put({
      id: `${t.rep.email}:${reply.providerMessageId}`,
      mailbox: t.rep.email,
      at: NOW,
      kind: 'reading',
    });
    await t.db.meta.put({
      key: readingKey(t.rep.email),
      value: { providerMessageId: reply.providerMessageId, contactEmails: ['ada@acme.example'], attempts: 1 },
    });
    t.mail.expireCursors();
    const watched = await watchMailbox(t.deps, t.rep.email);
    expect(watched.signals).toEqual([{ email: 'ada@acme.example', kind: 'human_reply' }]);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
    });
  });

  it('treats a message the worker died reading three times as unreadable, without reading it again', async () => {
    const t = await setUp();
    const reply = await t.mail.inject({
      from: 'Ada <ada@acme.example>',
      subject: 'Re: Hello Ada',
      text: 'Yes.',
      inReplyTo: t.first.messageId,
    });
    // What a worker killed in the middle of parsing leaves behind (readInbound writes both before parsing).
    await t.db.inbound.put({
      id: `${t.rep.email}:${reply.providerMessageId}`,
      mailbox: t.rep.email,
      at: NOW + HOUR,
      kind: 'reading',
    });
    await t.db.meta.put({
      key: readingKey(t.rep.email),
      value: { providerMessageId: reply.providerMessageId, contactEmails: ['ada@acme.example'], attempts: 3 },
    });
    const watched = await watchMailbox(t.deps, t.rep.email);
    expect(watched.signals).toEqual([{ email: 'ada@acme.example', kind: 'unreadable' }]);
    expect(watched.looked).toBe(0);
    expect(t.calls.filter((c) => c.startsWith('message'))).toEqual([]);
    expect((await t.db.enrollments.get(t.enrollmentId))?.attention?.kind).toBe('unreadable_message');
    expect(await t.db.meta.get(readingKey(t.rep.email))).toBeUndefined();
  });
});

/** Public samples kept in tests/fixtures/mail (sources in its SOURCES.md), loaded through Vite. */
const samples = import.meta.glob<string>('../../tests/fixtures/mail/*/*.eml', {
  query: '?raw',
  import: 'default',
  eager: true,
});
const fixture = (path: string) => {
  const raw = samples[`../../tests/fixtures/mail/${path}`];
  if (raw === undefined) throw new Error(`no mail fixture ${path}`);
  return raw;
};

describe('the reply watcher acts on what the classifier reads', () => {
  async function enrolled(email: string) {
    const t = createTestRunner({ now: NOW });
    await addSequence(t.db, { steps: [emailStep('a'), emailStep('b', { value: 2, unit: 'days' })] });
    const report = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email, firstName: 'Ben' }],
    });
    await runUntil(t, NOW + HOUR);
    await watchMailbox(t.deps, t.rep.email);
    return { ...t, enrollmentId: report.enrolled[0]!.enrollmentId };
  }

  it('ends the sequence on a full mailbox, keeps why, and leaves the address usable', async () => {
    const t = await enrolled('ben@example.org');
    await t.mail.inject(fixture('bounce/postfix-mailbox-full.eml'));
    const watched = await watchMailbox(t.deps, t.rep.email);
    expect(watched.signals).toEqual([{ email: 'ben@example.org', kind: 'bounce' }]);
    const ben = await t.db.enrollments.get(t.enrollmentId);
    expect(ben).toMatchObject({ status: 'unenrolled', reason: 'bounced' });
    expect(ben?.detail).toMatch(/mailbox is full \(5\.2\.2\).*not suppressed/);
    expect(await t.db.suppressions.get('ben@example.org')).toBeUndefined();
  });

  it('changes nothing on a delay warning: the server is still trying', async () => {
    const t = await enrolled('fay@example.org');
    const before = await t.db.enrollments.get(t.enrollmentId);
    await t.mail.inject(fixture('bounce/postfix-delayed-dsn.eml'));
    expect((await watchMailbox(t.deps, t.rep.email)).signals).toEqual([]);
    expect(await t.db.enrollments.get(t.enrollmentId)).toEqual(before);
  });

  it('stops and suppresses the address a feedback-loop complaint names', async () => {
    const t = await enrolled('otto@aol.example');
    await t.mail.inject(fixture('complaint/aol-scomp-arf.eml'));
    await watchMailbox(t.deps, t.rep.email);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'unsubscribed',
    });
    expect(await t.db.suppressions.get('otto@aol.example')).toMatchObject({ reason: 'spam_complaint' });
  });

  it('pauses for a challenge that answers our email, with the message to act on', async () => {
    const t = await enrolled('rhea@stone.example');
    const ours = t.mail.sent[0]!.messageId;
    const challenge = await t.mail.inject(
      fixture('challenge/boxbe-guest-list.eml').replace(/^In-Reply-To: .*$/m, `In-Reply-To: ${ours}`),
    );
    await watchMailbox(t.deps, t.rep.email);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'paused',
      pauseReason: 'needs_attention',
      attention: {
        kind: 'challenge',
        providerMessageId: challenge.providerMessageId,
        from: 'notify@boxbe.com',
      },
    });
    await runUntil(t, NOW + 5 * 24 * HOUR);
    expect(t.mail.sent).toHaveLength(1);
  });
});

describe('the replied event carries the person’s own words (logged to the CRM as the incoming email)', () => {
  const repliedEvent = async (t: Awaited<ReturnType<typeof setUp>>) =>
    (await t.db.events.where('enrollmentId').equals(t.enrollmentId).toArray()).find(
      (e) => e.type === 'replied',
    );

  it('records the text part of a reply without the quoted thread', async () => {
    const t = await setUp();
    await t.mail.inject({
      from: 'Ada <ada@acme.example>',
      subject: 'Re: Hello Ada',
      text: [
        'Sounds good, call me Thursday.',
        '',
        'Ada',
        '',
        'On Mon, 2 Mar 2026 at 10:00, Rep <rep@team.example> wrote:',
        '> Hello Ada, do you have 15 minutes this week?',
        '> Best, Rep',
      ].join('\r\n'),
      inReplyTo: t.first.messageId,
    });
    await watchMailbox(t.deps, t.rep.email);
    expect((await repliedEvent(t))?.data).toEqual({ text: 'Sounds good, call me Thursday.\n\nAda' });
  });

  it('records the words of an HTML-only reply, the quoted blockquote cut off', async () => {
    const t = await setUp();
    const html =
      '<div dir="ltr">Yes, <b>Thursday</b> works.<br>Ada</div><br><div class="gmail_quote">' +
      '<div class="gmail_attr">On Mon, 2 Mar 2026 at 10:00, Rep &lt;rep@team.example&gt; wrote:<br></div>' +
      '<blockquote class="gmail_quote">Hello Ada, do you have 15 minutes?</blockquote></div>';
    await t.mail.inject(
      [
        'From: Ada <ada@acme.example>',
        'To: rep@example.com',
        'Subject: Re: Hello Ada',
        `In-Reply-To: ${t.first.messageId}`,
        'Message-ID: <html-reply-1@acme.example>',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
        '',
        html,
        '',
      ].join('\r\n'),
    );
    await watchMailbox(t.deps, t.rep.email);
    expect((await repliedEvent(t))?.data).toEqual({ text: 'Yes, Thursday works.\nAda' });
  });

  it('bounds a long reply', async () => {
    const t = await setUp();
    await t.mail.inject({
      from: 'Ada <ada@acme.example>',
      subject: 'Re: Hello Ada',
      text: Array.from({ length: 300 }, (_, i) => `Line ${i} of a long answer about our plans.`).join('\n'),
      inReplyTo: t.first.messageId,
    });
    await watchMailbox(t.deps, t.rep.email);
    const text = (await repliedEvent(t))?.data?.text as string;
    expect(text.startsWith('Line 0 of a long answer')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(REPLY_TEXT_MAX);
  });

  it('records no words on the event of a colleague enrolled in the thread when someone else replied there', async () => {
    const t = await setUp();
    await t.mail.inject({
      from: 'Assistant <pa@acme.example>',
      subject: 'Re: Hello Ada',
      text: 'Ada is travelling, I will book a slot for her.',
      inReplyTo: t.first.messageId,
    });
    await watchMailbox(t.deps, t.rep.email);
    const event = await repliedEvent(t);
    expect(event).toBeDefined();
    expect(event?.data).toBeUndefined();
  });
});
