import { describe, expect, it } from 'vitest';
import {
  applyContactSignal,
  finishTask,
  pauseEnrollment,
  resumeEnrollment,
  unenrollEnrollment,
} from './actions';
import { enrollContacts } from './enroll';
import { addSequence, createTestRunner, emailStep, runUntil } from './testing';
import { tick } from './tick';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;

async function setUp(settings: object = {}) {
  const t = createTestRunner({ now: NOW });
  await addSequence(t.db, {
    settings,
    steps: [
      emailStep('a'),
      emailStep('b', { value: 2, unit: 'days' }),
      { id: 'call', type: 'call', delay: { value: 1, unit: 'hours' } },
    ],
  });
  const report = await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: [
      { email: 'ada@acme.example', firstName: 'Ada', company: 'Acme' },
      { email: 'bo@acme.example', firstName: 'Bo', company: 'Acme' },
      { email: 'cy@other.example', firstName: 'Cy' },
    ],
  });
  await runUntil(t, NOW + HOUR);
  const ids = Object.fromEntries(report.enrolled.map((r) => [r.email, r.enrollmentId]));
  const get = (email: string) => t.db.enrollments.get(ids[email]!);
  return { ...t, ids, get };
}

describe('what the contact does', () => {
  it('a reply ends only that contact’s enrollment', async () => {
    const t = await setUp();
    await applyContactSignal(t.deps, 'ada@acme.example', { type: 'reply' }, NOW + HOUR);
    expect(await t.get('ada@acme.example')).toMatchObject({
      status: 'unenrolled',
      reason: 'replied',
      endedAt: NOW + HOUR,
    });
    expect((await t.get('bo@acme.example'))?.status).toBe('active');
  });

  it('a reply ends colleagues at the same company when the sequence says so', async () => {
    const t = await setUp({ unenrollCompanyOnReply: true });
    await applyContactSignal(t.deps, 'ada@acme.example', { type: 'reply' }, NOW + HOUR);
    expect(await t.get('bo@acme.example')).toMatchObject({ status: 'unenrolled', reason: 'company_replied' });
    expect((await t.get('cy@other.example'))?.status).toBe('active');
  });

  it('a meeting booked ends the enrollment with its own reason', async () => {
    const t = await setUp();
    await applyContactSignal(t.deps, 'ada@acme.example', { type: 'meeting_booked' }, NOW + HOUR);
    expect(await t.get('ada@acme.example')).toMatchObject({ status: 'unenrolled', reason: 'meeting_booked' });
  });

  it('a bounce for an address that cannot receive mail ends the enrollment and suppresses the address', async () => {
    const t = await setUp();
    await applyContactSignal(
      t.deps,
      'ada@acme.example',
      { type: 'bounce', permanent: true, reason: 'userunknown', status: '5.1.1' },
      NOW + HOUR,
    );
    expect(await t.get('ada@acme.example')).toMatchObject({ status: 'unenrolled', reason: 'bounced' });
    expect(await t.db.suppressions.get('ada@acme.example')).toMatchObject({ reason: 'hard_bounce' });
    const again = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'ada@acme.example' }],
    });
    expect(again.rejected[0]?.reason).toBe('do_not_contact');
  });

  it('a bounce refused for policy ends the enrollment, keeps why, and leaves the address usable', async () => {
    const t = await setUp();
    await applyContactSignal(
      t.deps,
      'bo@acme.example',
      { type: 'bounce', permanent: false, reason: 'mailboxfull', status: '4.2.2' },
      NOW + HOUR,
    );
    const bo = await t.get('bo@acme.example');
    expect(bo).toMatchObject({ status: 'unenrolled', reason: 'bounced' });
    expect(bo?.detail).toMatch(/mailbox is full.*4\.2\.2/i);
    expect(t.events.find((e) => e.type === 'bounced')?.data).toMatchObject({
      permanent: false,
      reason: 'mailboxfull',
    });
    expect(await t.db.suppressions.get('bo@acme.example')).toBeUndefined();
    // The rep can try the contact again later.
    const again = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'bo@acme.example' }],
    });
    expect(again.rejected).toEqual([]);
  });

  it('a spam complaint ends the enrollment and suppresses the address', async () => {
    const t = await setUp();
    await applyContactSignal(
      t.deps,
      'ada@acme.example',
      { type: 'complaint', feedbackType: 'abuse' },
      NOW + HOUR,
    );
    expect(await t.get('ada@acme.example')).toMatchObject({ status: 'unenrolled', reason: 'unsubscribed' });
    expect((await t.get('ada@acme.example'))?.detail).toMatch(/spam/);
    expect(await t.db.suppressions.get('ada@acme.example')).toMatchObject({ reason: 'spam_complaint' });
  });

  it('a challenge pauses the enrollment and shows the rep the message to act on; resuming clears it', async () => {
    const t = await setUp();
    const id = t.ids['ada@acme.example']!;
    await applyContactSignal(
      t.deps,
      'ada@acme.example',
      { type: 'challenge', providerMessageId: 'msg-7', from: 'verify@boxbe.example' },
      NOW + HOUR,
    );
    const paused = await t.get('ada@acme.example');
    expect(paused).toMatchObject({
      status: 'paused',
      pauseReason: 'needs_attention',
      attention: { kind: 'challenge', providerMessageId: 'msg-7', from: 'verify@boxbe.example' },
    });
    expect(paused?.attention?.detail).toMatch(/verify/i);
    await runUntil(t, NOW + 5 * 24 * HOUR);
    expect(t.mail.sent.filter((m) => m.outgoing?.to[0]?.address === 'ada@acme.example')).toHaveLength(1);
    await resumeEnrollment(t.deps, id, t.clock.now);
    expect((await t.get('ada@acme.example'))?.attention).toBeUndefined();
  });

  it('an unreadable message from the contact pauses their enrollment, naming them and the message', async () => {
    const t = await setUp();
    await applyContactSignal(
      t.deps,
      'ada@acme.example',
      { type: 'unreadable', providerMessageId: 'msg-9', from: 'ada@acme.example' },
      NOW + HOUR,
    );
    expect(await t.get('ada@acme.example')).toMatchObject({
      status: 'paused',
      pauseReason: 'needs_attention',
      attention: {
        kind: 'unreadable_message',
        detail: 'A message from Ada could not be read: open it',
        providerMessageId: 'msg-9',
        from: 'ada@acme.example',
      },
    });
    expect((await t.get('bo@acme.example'))?.status).toBe('active');
  });

  it('an unsubscribe request ends and suppresses', async () => {
    const t = await setUp();
    await applyContactSignal(t.deps, 'ada@acme.example', { type: 'unsubscribe' }, NOW + HOUR);
    expect(await t.get('ada@acme.example')).toMatchObject({ status: 'unenrolled', reason: 'unsubscribed' });
    expect(await t.db.suppressions.get('ada@acme.example')).toMatchObject({ reason: 'unsubscribed' });
  });

  it('an auto-reply changes nothing but is recorded', async () => {
    const t = await setUp();
    const before = await t.get('ada@acme.example');
    await applyContactSignal(t.deps, 'ada@acme.example', { type: 'auto_reply' }, NOW + HOUR);
    expect(await t.get('ada@acme.example')).toEqual(before);
    expect(t.events.some((e) => e.type === 'auto_replied')).toBe(true);
  });

  it('an out-of-office without a date pauses for 7 days, then resumes by itself', async () => {
    const t = await setUp();
    await applyContactSignal(t.deps, 'ada@acme.example', { type: 'out_of_office' }, NOW + HOUR);
    expect(await t.get('ada@acme.example')).toMatchObject({
      status: 'paused',
      pauseReason: 'out_of_office',
      pausedUntil: NOW + HOUR + 7 * 24 * HOUR,
    });
    expect(t.alarm.at).toBeLessThanOrEqual(NOW + HOUR + 7 * 24 * HOUR);
    t.clock.now = NOW + HOUR + 7 * 24 * HOUR;
    await tick(t.deps);
    expect((await t.get('ada@acme.example'))?.status).toBe('active');
  });
});

describe('what the rep does', () => {
  it('pause keeps the delay that was left; resume gives it back', async () => {
    const t = await setUp();
    const id = t.ids['ada@acme.example']!;
    const readyBefore = (await t.get('ada@acme.example'))!.readyAt!;
    await pauseEnrollment(t.deps, id, NOW + 10 * HOUR);
    expect((await t.get('ada@acme.example'))?.dueAt).toBeUndefined();
    // Resumed 90 hours later, on Sunday 6 March 04:00: the step is ready 90 hours later than planned, and
    // due at the next window, Monday 08:00.
    await resumeEnrollment(t.deps, id, NOW + 90 * HOUR);
    const resumed = await t.get('ada@acme.example');
    expect(resumed?.readyAt).toBe(readyBefore + 80 * HOUR);
    expect(resumed?.dueAt).toBe(Date.parse('2026-03-09T08:00:00Z'));
  });

  it('completing a blocking task moves the sequence on; skipping works the same', async () => {
    const t = await setUp();
    await runUntil(t, NOW + 3 * 24 * HOUR);
    const tasks = await t.db.tasks.toArray();
    expect(tasks.map((x) => x.type)).toEqual(['call', 'call', 'call']);
    expect((await t.get('ada@acme.example'))?.waitingTaskId).toBe(tasks[0]!.id);
    await finishTask(
      t.deps,
      tasks.find((x) => x.enrollmentId === t.ids['ada@acme.example'])!.id,
      'completed',
      t.clock.now,
      { outcome: 'connected' },
    );
    await finishTask(
      t.deps,
      tasks.find((x) => x.enrollmentId === t.ids['bo@acme.example'])!.id,
      'skipped',
      t.clock.now,
    );
    expect((await t.get('ada@acme.example'))?.status).toBe('finished');
    expect((await t.get('bo@acme.example'))?.status).toBe('finished');
    expect((await t.get('cy@other.example'))?.status).toBe('active');
  });

  it('unenrolling takes the enrollment’s open tasks out of the queue', async () => {
    const t = await setUp();
    await runUntil(t, NOW + 3 * 24 * HOUR);
    await unenrollEnrollment(t.deps, t.ids['cy@other.example']!, t.clock.now);
    const task = (await t.db.tasks.toArray()).find((x) => x.enrollmentId === t.ids['cy@other.example']);
    expect(task?.status).toBe('skipped');
  });
});
