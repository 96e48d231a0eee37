import { describe, expect, it } from 'vitest';
import { addSequence, createTestRunner, emailStep, runUntil } from '../runner/testing';
import { tick } from '../runner/tick';
import { inboxHandlers } from './inbox';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const sender = { id: 'ext', url: 'chrome-extension://ext/options.html' };

async function setUp() {
  const t = createTestRunner({ now: NOW });
  await addSequence(t.db, {
    steps: [
      emailStep('a'),
      {
        id: 'call',
        type: 'call',
        delay: { value: 1, unit: 'hours' },
        title: 'Call about pricing',
        callScript: 'Ask about seats',
      },
      emailStep('b', { value: 2, unit: 'days' }),
    ],
  });
  await addSequence(t.db, { id: 'old', name: 'Old', archived: true, steps: [emailStep('x')] });
  const h = inboxHandlers(t.deps, () => tick(t.deps));
  return { ...t, h };
}

describe('the inbox handlers of the background', () => {
  it('enrolls from a thread and reports where each participant stands', async () => {
    const t = await setUp();
    const options = await t.h['enroll.options']!({ emails: ['ada@acme.example', 'bo@acme.example'] }, sender);
    expect(options.sequences.map((s) => s.name)).toEqual(['Test sequence']);
    expect(options.contacts.map((c) => c.email)).toEqual(['ada@acme.example', 'bo@acme.example']);
    const report = await t.h['enroll.submit']!(
      {
        sequenceId: 'seq-1',
        contacts: [{ ...options.contacts[0]!, firstName: 'Ada' }],
        edits: { a: { subject: 'Ada, a quick idea', body: '<p>Hi Ada</p>' } },
      },
      sender,
    );
    expect(report.enrolled).toHaveLength(1);
    expect(t.mail.sent.map((m) => m.outgoing?.subject)).toEqual(['Ada, a quick idea']);
    const state = await t.h['thread.state']!(
      { participants: [{ email: 'ada@acme.example' }, { email: 'bo@acme.example' }] },
      sender,
    );
    expect(state.participants.map((p) => p.state)).toEqual([
      {
        kind: 'active',
        enrollmentId: report.enrolled[0]!.enrollmentId,
        sequenceName: 'Test sequence',
        stepIndex: 1,
        stepCount: 3,
        stepType: 'call',
        nextAt: NOW + 3_600_000,
      },
      { kind: 'not_enrolled' },
    ]);
  });

  it('lists open tasks with their contact, step and call script, and completing one moves the sequence on', async () => {
    const t = await setUp();
    const r = await t.h['enroll.submit']!(
      {
        sequenceId: 'seq-1',
        contacts: [
          { email: 'ada@acme.example', firstName: 'Ada', linkedinUrl: 'https://www.linkedin.com/in/ada' },
        ],
        edits: {},
      },
      sender,
    );
    await runUntil(t, NOW + 2 * 3_600_000);
    const { tasks } = await t.h['tasks.list']!({}, sender);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      sequenceName: 'Test sequence',
      stepLabel: 'Step 2 of 3: Call about pricing',
      callScript: 'Ask about seats',
      linkedinUrl: 'https://www.linkedin.com/in/ada',
    });
    await t.h['tasks.act']!(
      { taskId: tasks[0]!.task.id, action: 'snooze', until: NOW + 5 * 3_600_000 },
      sender,
    );
    expect((await t.db.tasks.get(tasks[0]!.task.id))?.dueAt).toBe(NOW + 5 * 3_600_000);
    await t.h['tasks.act']!({ taskId: tasks[0]!.task.id, action: 'complete', outcome: 'connected' }, sender);
    expect((await t.h['tasks.list']!({}, sender)).tasks).toEqual([]);
    const e = await t.db.enrollments.get(r.enrolled[0]!.enrollmentId);
    expect(e).toMatchObject({ stepIndex: 2, status: 'active' });
    // A reschedule after completion changes nothing: completion wins.
    await t.h['tasks.act']!({ taskId: tasks[0]!.task.id, action: 'reschedule', dueAt: 1 }, sender);
    expect((await t.db.tasks.get(tasks[0]!.task.id))?.status).toBe('completed');
  });

  it('answers the queue’s first screen from the due index: the first tasks by due time and each section’s count', async () => {
    const t = await setUp();
    await t.db.contacts.bulkPut(
      [0, 1, 2, 3, 4].map((i) => ({
        id: `c${i}`,
        email: `p${i}@acme.example`,
        firstName: `P${i}`,
        custom: {},
      })),
    );
    const HOUR = 3_600_000;
    const due = [-30, 2, -50, 30, 3]; // hours from now: two overdue, two today, one tomorrow
    await t.db.tasks.bulkPut(
      due.map((h, i) => ({
        id: `t${i}`,
        enrollmentId: `e${i}`,
        sequenceId: 'seq-1',
        contactId: `c${i}`,
        stepId: 'call',
        stepIndex: 1,
        type: 'call' as const,
        title: 'Call about pricing',
        notes: '',
        priority: 'medium' as const,
        createdAt: NOW,
        dueAt: NOW + h * HOUR,
        blocking: true,
        status: 'open' as const,
      })),
    );
    await t.db.tasks.update('t4', { status: 'completed' });
    // 10:00 in London on Monday 2 March: -30 h and -50 h are overdue, +2 h today, +30 h tomorrow.
    const first = await t.h['tasks.first']!({ limit: 2, timeZone: 'Europe/London' }, sender);
    expect(first.counts).toEqual({ overdue: 2, today: 1, upcoming: 1 });
    expect(first.tasks.map((i) => [i.task.id, i.contact.firstName, i.stepLabel, i.callScript])).toEqual([
      ['t2', 'P2', 'Step 2 of 3: Call about pricing', 'Ask about seats'],
      ['t0', 'P0', 'Step 2 of 3: Call about pricing', 'Ask about seats'],
    ]);
    // The same items as the whole list gives.
    const all = (await t.h['tasks.list']!({}, sender)).tasks;
    expect(first.tasks).toEqual(all.filter((i) => ['t0', 't2'].includes(i.task.id)).reverse());
  });

  it('pauses, resumes, sends the next step now, marks a meeting and unenrolls', async () => {
    const t = await setUp();
    await addSequence(t.db, {
      id: 'emails',
      name: 'Emails',
      steps: [emailStep('e1'), emailStep('e2', { value: 3, unit: 'days' })],
    });
    const r = await t.h['enroll.submit']!(
      { sequenceId: 'emails', contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }], edits: {} },
      sender,
    );
    const id = r.enrolled[0]!.enrollmentId;
    const act = (action: 'pause' | 'resume' | 'unenroll' | 'meeting_booked' | 'send_now') =>
      t.h['enrollment.act']!({ enrollmentId: id, action }, sender);
    await act('pause');
    expect((await t.db.enrollments.get(id))?.status).toBe('paused');
    await act('resume');
    t.clock.now += 60_000; // past the 30 s spacing after the first email
    await act('send_now');
    expect(t.mail.sent).toHaveLength(2);
    expect((await t.db.enrollments.get(id))?.status).toBe('finished');

    const again = await t.h['enroll.submit']!(
      { sequenceId: 'seq-1', contacts: [{ email: 'bo@acme.example', firstName: 'Bo' }], edits: {} },
      sender,
    );
    await t.h['enrollment.act']!(
      { enrollmentId: again.enrolled[0]!.enrollmentId, action: 'meeting_booked' },
      sender,
    );
    expect(await t.db.enrollments.get(again.enrolled[0]!.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      reason: 'meeting_booked',
    });
    const state = await t.h['thread.state']!({ participants: [{ email: 'bo@acme.example' }] }, sender);
    expect(state.participants[0]!.state).toMatchObject({ kind: 'unenrolled', reason: 'meeting_booked' });
  });
});
