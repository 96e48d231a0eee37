import { describe, expect, it } from 'vitest';
import { MailError, type MailProvider } from '../mail/provider';
import { enrollContacts } from './enroll';
import { applyContactSignal, resumeEnrollment, wakeMailbox } from './actions';
import { addSequence, createTestRunner, emailStep } from './testing';
import { tick } from './tick';
import { watchMailbox } from './reply-watcher';
import { DEFAULT_LEASE_MS } from './deps';
import { SENT_TEXT_MAX } from './send';

// Monday 2 March 2026, 10:00 in London: inside the default 08:00-18:00 window.
const MONDAY_10 = Date.parse('2026-03-02T10:00:00Z');
const contact = { email: 'ada@acme.example', firstName: 'Ada', timeZone: 'Europe/London' };

async function setUp() {
  const t = createTestRunner({ now: MONDAY_10 });
  await addSequence(t.db, { steps: [emailStep('first'), emailStep('second', { value: 1, unit: 'days' })] });
  const report = await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts: [contact] });
  return { ...t, enrollmentId: report.enrolled[0]!.enrollmentId };
}

/**
 * A provider whose send never returns: the service worker died while the request was out, before or after
 * the mailbox accepted it. `died` resolves at the moment of death.
 */
function dyingProvider(real: MailProvider, reachesMailbox: boolean) {
  let died!: () => void;
  const dead = new Promise<void>((resolve) => (died = resolve));
  const provider: MailProvider = {
    kind: real.kind,
    mailbox: real.mailbox,
    send: async (m) => {
      if (reachesMailbox) await real.send(m);
      died();
      return new Promise(() => {});
    },
    findByMessageId: (id) => real.findByMessageId(id),
    changesSince: (c) => real.changesSince(c),
    getHeaders: (id) => real.getHeaders(id),
    getMessage: (id) => real.getMessage(id),
    threadMessages: (id) => real.threadMessages(id),
    latestInThread: (id) => real.latestInThread(id),
  };
  return { provider, dead };
}

/** Ten contacts due at once, through a mailbox whose every send takes 20 s (a slow network). */
async function slowBatch(afterSend?: (n: number) => Promise<unknown>) {
  const t = createTestRunner({ now: MONDAY_10 });
  await addSequence(t.db, {
    settings: { minSecondsBetweenSends: 0, perMinuteCap: 600 },
    steps: [emailStep('first')],
  });
  await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: Array.from({ length: 10 }, (_, i) => ({ ...contact, email: `p${i}@acme.example` })),
  });
  const slow: MailProvider = {
    ...t.mail,
    kind: t.mail.kind,
    mailbox: t.mail.mailbox,
    send: async (m) => {
      t.clock.now += 20_000;
      const sent = await t.mail.send(m);
      await afterSend?.(t.mail.sent.length);
      return sent;
    },
  };
  return { ...t, deps: { ...t.deps, mailFor: () => slow } };
}

describe('sending a batch under the mailbox lease', () => {
  it('renews the lease while a slow batch goes out, and stops as soon as another device has taken it', async () => {
    const asked: number[] = [];
    let otherDeviceFrom = Infinity;
    const lease = {
      holder: 'laptop',
      port: {
        acquire: async (_mailbox: string, _holder: string, now: number) => {
          asked.push(now - MONDAY_10);
          return now < otherDeviceFrom;
        },
      },
    };
    // Ten sends take 200 s, longer than the two-minute lease.
    const t = await slowBatch();
    await tick({ ...t.deps, lease });
    expect(t.mail.sent).toHaveLength(10);
    // Asked at the start, then again each time half the lease had gone by.
    expect(asked).toEqual([0, 60_000, 120_000, 180_000]);

    // Another device takes the lease over 50 s in: nothing more goes from this one after the next renewal.
    const u = await slowBatch();
    otherDeviceFrom = MONDAY_10 + 50_000;
    await tick({ ...u.deps, lease });
    expect(u.mail.sent).toHaveLength(3);
    expect((await u.db.enrollments.toArray()).filter((e) => e.stepIndex === 0)).toHaveLength(7);
  });
});

describe('a reply during a long batch', () => {
  it('is looked for again every half minute of sending, and nothing goes to who replied', async () => {
    let checks = 0;
    let replier = '';
    const to = (m: { outgoing?: { to: { address: string }[] } }) => m.outgoing?.to[0]?.address;
    // A minute into the batch (after the third email), someone not emailed yet writes in.
    const t = await slowBatch(async (n) => {
      if (n !== 3) return;
      const emailed = new Set(t.mail.sent.map(to));
      replier = Array.from({ length: 10 }, (_, i) => `p${i}@acme.example`).find((a) => !emailed.has(a))!;
      await t.mail.inject({ from: replier, subject: 'Hello', text: 'Yes, let us talk on Thursday.' });
    });
    const deps = {
      ...t.deps,
      checkReplies: async (mailbox: string) => {
        checks++;
        await watchMailbox(deps, mailbox);
      },
    };
    await tick(deps);
    expect(replier).not.toBe('');
    expect(t.mail.sent.map(to)).not.toContain(replier);
    expect(t.mail.sent).toHaveLength(9);
    const who = (await t.db.contacts.where('email').equals(replier).first())!;
    expect(await t.db.enrollments.where('contactId').equals(who.id).first()).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
    });
    // Before the batch, then at 40 s, 80 s, 120 s and 160 s of sending.
    expect(checks).toBe(5);
  });
});

describe('sending a step', () => {
  it('sends the due email once, advances the enrollment and sets the alarm for the next step', async () => {
    const t = await setUp();
    expect(t.alarm.at).toBe(MONDAY_10);
    const result = await tick(t.deps);
    expect(result.sent).toBe(1);
    expect(t.mail.sent).toHaveLength(1);
    expect(t.mail.sent[0]!.outgoing?.subject).toBe('Hello Ada');
    expect(t.mail.sent[0]!.outgoing?.text).toContain('Hi Ada');
    const e = await t.db.enrollments.get(t.enrollmentId);
    expect(e).toMatchObject({
      stepIndex: 1,
      dueAt: MONDAY_10 + 86_400_000,
      lastMessageId: t.mail.sent[0]!.messageId,
    });
    expect(t.alarm.at).toBe(MONDAY_10 + 86_400_000);
    expect(await tick(t.deps)).toMatchObject({ sent: 0 });
    expect(t.mail.sent).toHaveLength(1);
  });

  it('threads the follow-up under the first email', async () => {
    const t = await setUp();
    await tick(t.deps);
    t.clock.now += 86_400_000;
    await tick(t.deps);
    const [first, second] = t.mail.sent;
    expect(second!.threadId).toBe(first!.threadId);
    expect(second!.outgoing?.subject).toBe('Re: Hello Ada');
    expect(second!.outgoing?.thread).toMatchObject({
      lastMessageId: first!.messageId,
      references: [first!.messageId],
    });
    expect((await t.db.enrollments.get(t.enrollmentId))?.status).toBe('finished');
  });
});

describe('exactly once, when the service worker dies mid-send', () => {
  it('sends once after dying between the claim and the provider call', async () => {
    const t = await setUp();
    const dying = dyingProvider(t.mail, false);
    void tick({ ...t.deps, mailFor: () => dying.provider });
    await dying.dead;
    expect(t.mail.sent).toHaveLength(0);
    // Before the lease ends a new worker leaves the claimed send alone.
    expect(await tick(t.restart())).toMatchObject({ sent: 0 });
    t.clock.now += DEFAULT_LEASE_MS;
    expect(await tick(t.restart())).toMatchObject({ sent: 1 });
    expect(t.mail.sent).toHaveLength(1);
  });

  it('does not send again after dying between the provider accepting and the local commit', async () => {
    const t = await setUp();
    const dying = dyingProvider(t.mail, true);
    void tick({ ...t.deps, mailFor: () => dying.provider });
    await dying.dead;
    expect(t.mail.sent).toHaveLength(1);
    t.clock.now += DEFAULT_LEASE_MS;
    await tick(t.restart());
    expect(t.mail.sent).toHaveLength(1);
    const e = await t.db.enrollments.get(t.enrollmentId);
    expect(e?.stepIndex).toBe(1);
    expect(e?.lastMessageId).toBe(t.mail.sent[0]!.messageId);
    expect((await t.db.events.where('type').equals('sent').toArray()).length).toBe(1);
  });

  it('records the body as sent on the sent event (for the CRM email activity), within its bounds', async () => {
    const t = await setUp();
    await tick(t.deps);
    const message = t.mail.sent[0]!.outgoing;
    const [event] = await t.db.events.where('type').equals('sent').toArray();
    expect(message!.text.length).toBeGreaterThan(0);
    expect(event!.data).toMatchObject({
      subject: message!.subject,
      text: message!.text.slice(0, SENT_TEXT_MAX),
      html: message!.html,
      messageId: message!.messageId,
    });
  });

  it('retries a rate-limited send later, honouring Retry-After, and sends once', async () => {
    const t = await setUp();
    t.mail.failNext('send', new MailError('429 Too Many Requests', 'transient', 429, 120_000));
    expect(await tick(t.deps)).toMatchObject({ sent: 0 });
    const e = await t.db.enrollments.get(t.enrollmentId);
    expect(e?.dueAt).toBe(MONDAY_10 + 120_000);
    expect(e?.detail).toMatch(/429/);
    t.clock.now += 120_000;
    expect(await tick(t.deps)).toMatchObject({ sent: 1 });
    expect(t.mail.sent).toHaveLength(1);
  });

  it('pauses with a clear message on a permanent error, and sends when the rep resumes', async () => {
    const t = await setUp();
    t.mail.failNext('send', new MailError('Insufficient permission: reconnect Gmail', 'permanent', 403));
    await tick(t.deps);
    const e = await t.db.enrollments.get(t.enrollmentId);
    expect(e).toMatchObject({ status: 'paused', pauseReason: 'needs_attention' });
    expect(e?.detail).toBe('Step 1 was not sent: Insufficient permission: reconnect Gmail');
    expect(e?.attention).toEqual({
      kind: 'send_refused',
      detail: 'Step 1 was not sent: Insufficient permission: reconnect Gmail',
    });
    await resumeEnrollment(t.deps, t.enrollmentId, t.clock.now);
    expect((await t.db.enrollments.get(t.enrollmentId))?.attention).toBeUndefined();
    expect(await tick(t.deps)).toMatchObject({ sent: 1 });
  });

  it('pauses for the rep’s attention on a missing token, and clears it when the rep resumes', async () => {
    const t = createTestRunner({ now: MONDAY_10 });
    await addSequence(t.db, {
      steps: [{ ...emailStep('first'), body: '<p>Hi {{contact.lastName}},</p>' }],
    });
    const report = await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts: [contact] });
    await tick(t.deps);
    const e = await t.db.enrollments.get(report.enrolled[0]!.enrollmentId);
    expect(e).toMatchObject({ status: 'paused', pauseReason: 'needs_attention' });
    expect(e?.attention?.kind).toBe('missing_token');
    expect(e?.attention?.detail).toMatch(/lastName/);
    expect(t.mail.sent).toHaveLength(0);
    await resumeEnrollment(t.deps, e!.id, t.clock.now);
    expect((await t.db.enrollments.get(e!.id))?.attention).toBeUndefined();
  });

  it('does not retry a programming error as if it were transient: the tick fails loudly and the rep is told', async () => {
    const t = await setUp();
    const bug = new TypeError("Cannot read properties of undefined (reading 'address')");
    t.mail.failNext('send', bug);
    await expect(tick(t.deps)).rejects.toBe(bug);
    const e = await t.db.enrollments.get(t.enrollmentId);
    const detail = `Step 1 was not sent: Threadline failed (TypeError: ${bug.message}); it was not retried`;
    expect(e).toMatchObject({ status: 'paused', pauseReason: 'needs_attention', detail, failures: 0 });
    expect(e?.attention).toEqual({ kind: 'send_refused', detail });
    const failed = await t.db.events.where('type').equals('send_failed').toArray();
    expect(failed.map((event) => event.data)).toEqual([
      { kind: 'internal', message: `TypeError: ${bug.message}` },
    ]);
    // Nothing is tried again behind the rep's back, however long it waits.
    t.clock.now += 7 * 86_400_000;
    expect(await tick(t.deps)).toMatchObject({ sent: 0 });
    expect(t.mail.sent).toHaveLength(0);
  });

  it('still sends the rest of the batch after a programming error in one of its emails', async () => {
    const t = createTestRunner({ now: MONDAY_10 });
    await addSequence(t.db, {
      settings: { minSecondsBetweenSends: 0, perMinuteCap: 600 },
      steps: [emailStep('first')],
    });
    await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [contact, { ...contact, email: 'grace@acme.example', firstName: 'Grace' }],
    });
    t.mail.failNext('send', new RangeError('Invalid time value'));
    await expect(tick(t.deps)).rejects.toThrow(RangeError);
    expect(t.mail.sent).toHaveLength(1);
    const statuses = (await t.db.enrollments.toArray()).map((e) => e.pauseReason ?? e.status).sort();
    expect(statuses).toEqual(['finished', 'needs_attention']);
  });

  it('waits while the mailbox is not connected', async () => {
    const t = await setUp();
    await tick({ ...t.deps, mailFor: () => undefined });
    const e = await t.db.enrollments.get(t.enrollmentId);
    expect(e?.detail).toMatch(/not connected/);
    expect(e?.dueAt).toBeGreaterThan(MONDAY_10);
    expect(t.mail.sent).toHaveLength(0);
  });
});

describe('never after a reply', () => {
  it('sends nothing when the pre-send reply check finds a reply', async () => {
    const t = await setUp();
    const deps = {
      ...t.deps,
      checkReplies: async () =>
        void (await applyContactSignal(t.deps, contact.email, { type: 'reply' }, t.clock.now)),
    };
    expect(await tick(deps)).toMatchObject({ sent: 0 });
    expect(t.mail.sent).toHaveLength(0);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
    });
  });

  it('sends nothing to an address that joined the do-not-contact list after enrolling', async () => {
    const t = await setUp();
    await t.db.suppressions.put({ email: contact.email, reason: 'manual', at: MONDAY_10 });
    await tick(t.deps);
    expect(t.mail.sent).toHaveLength(0);
    expect(await t.db.enrollments.get(t.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'unsubscribed',
    });
  });
});

describe('a mailbox connected after sends failed', () => {
  it('wakes the enrollments that were backing off, instead of waiting out the back-off', async () => {
    const t = await setUp();
    await tick({ ...t.deps, mailFor: () => undefined });
    const backingOff = await t.db.enrollments.get(t.enrollmentId);
    expect(backingOff).toMatchObject({ dueAt: MONDAY_10 + 60_000, failures: 1 });
    expect(await wakeMailbox(t.deps, t.rep.email, MONDAY_10 + 1000)).toBe(1);
    t.clock.now = MONDAY_10 + 1000;
    expect(await tick(t.deps)).toMatchObject({ sent: 1 });
  });
});
