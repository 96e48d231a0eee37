import { describe, expect, it } from 'vitest';
import { applyContactSignal, finishTask, pauseEnrollment, resumeEnrollment } from './actions';
import { enrollContacts } from './enroll';
import { moveEnrollment } from './move';
import { addSequence, ANY_TIME, createTestRunner, emailStep, runUntil } from './testing';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Four steps: email a at once, email b after two days, a blocking call after an hour, email d after a day. */
async function setUp() {
  const t = createTestRunner({ now: NOW });
  await addSequence(t.db, {
    settings: ANY_TIME,
    steps: [
      emailStep('a', undefined, 'First {{contact.firstName}}'),
      emailStep('b', { value: 2, unit: 'days' }, 'Second'),
      { id: 'call', type: 'call', delay: { value: 1, unit: 'hours' } },
      emailStep('d', { value: 1, unit: 'days' }, 'Fourth'),
    ],
  });
  const report = await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }],
  });
  const id = report.enrolled[0]!.enrollmentId;
  await runUntil(t, NOW + MIN); // email a goes
  const get = async () => (await t.db.enrollments.get(id))!;
  // Which steps reached the mailbox, from each email's Message-ID (one per step: tl.<enrollment>.<step>@...).
  const sentSteps = () => t.mail.sent.map((m) => Number(/\.(\d+)@/.exec(m.messageId)?.[1]) + 1);
  return { ...t, id, get, sentSteps };
}

describe('moving an enrollment to another step (the Enrollments view, one or many)', () => {
  it('moves forward: the skipped email never goes, the target step is planned from now by the engine', async () => {
    const t = await setUp();
    expect(t.sentSteps()).toEqual([1]);
    await moveEnrollment(t.deps, t.id, 3, NOW + HOUR);
    const e = await t.get();
    expect(e).toMatchObject({ status: 'active', stepIndex: 3 });
    // Step 4's delay (one day) counts from the move, in the sequence's window (any time here).
    expect(e.dueAt).toBe(NOW + HOUR + DAY);
    await runUntil(t, NOW + 5 * DAY);
    expect(t.sentSteps()).toEqual([1, 4]);
    expect((await t.get()).status).toBe('finished');
  });

  it('refuses a finished or ended enrollment, and a reply stays final: nothing is sent after it', async () => {
    const t = await setUp();
    await applyContactSignal(t.deps, 'ada@acme.example', { type: 'reply' }, NOW + HOUR);
    await expect(moveEnrollment(t.deps, t.id, 3, NOW + HOUR)).rejects.toThrow(/ended \(replied\)/);
    expect(await t.get()).toMatchObject({ status: 'unenrolled', stepIndex: 1 });
    await runUntil(t, NOW + 10 * DAY);
    expect(t.sentSteps()).toEqual([1]);
  });

  it('refuses a step that does not exist and the step it is already at', async () => {
    const t = await setUp();
    const before = await t.get();
    await expect(moveEnrollment(t.deps, t.id, 4, NOW + HOUR)).rejects.toThrow(
      'Step 5 does not exist: "Test sequence" has 4 steps',
    );
    await expect(moveEnrollment(t.deps, t.id, -1, NOW + HOUR)).rejects.toThrow(/does not exist/);
    await expect(moveEnrollment(t.deps, t.id, 1, NOW + HOUR)).rejects.toThrow('Already at step 2');
    await expect(moveEnrollment(t.deps, 'nope', 1, NOW + HOUR)).rejects.toThrow('No enrollment nope');
    expect(await t.get()).toEqual(before);
  });

  it('never moves back over an email already sent, so no step goes twice', async () => {
    const t = await setUp();
    const before = await t.get();
    await expect(moveEnrollment(t.deps, t.id, 0, NOW + HOUR)).rejects.toThrow(
      'Step 1 was already sent to them: moving back would send it again',
    );
    expect(await t.get()).toEqual(before);
    await runUntil(t, NOW + 10 * DAY);
    expect(t.sentSteps().filter((step) => step === 1)).toHaveLength(1);
  });

  it('moves back over a task step when no email in between went out', async () => {
    const t = await setUp();
    await moveEnrollment(t.deps, t.id, 3, NOW + HOUR); // at email d, not sent yet
    await moveEnrollment(t.deps, t.id, 2, NOW + 2 * HOUR); // back to the call
    await runUntil(t, NOW + 3 * HOUR + MIN);
    const task = (await t.db.tasks.toArray()).find((x) => x.status === 'open')!;
    expect(task).toMatchObject({ stepIndex: 2, type: 'call' });
    await finishTask(t.deps, task.id, 'completed', NOW + 4 * HOUR);
    await runUntil(t, NOW + 6 * DAY);
    expect(t.sentSteps()).toEqual([1, 4]);
  });

  it('a paused enrollment stays paused at the new step; resuming runs the new step’s delay', async () => {
    const t = await setUp();
    await pauseEnrollment(t.deps, t.id, NOW + HOUR);
    await moveEnrollment(t.deps, t.id, 3, NOW + 2 * HOUR);
    expect(await t.get()).toMatchObject({
      status: 'paused',
      pauseReason: 'manual',
      stepIndex: 3,
      remainingMs: DAY,
    });
    expect((await t.get()).dueAt).toBeUndefined();
    await runUntil(t, NOW + 5 * DAY);
    expect(t.sentSteps()).toEqual([1]);
    await resumeEnrollment(t.deps, t.id, NOW + 5 * DAY);
    expect((await t.get()).dueAt).toBe(NOW + 6 * DAY);
    await runUntil(t, NOW + 7 * DAY);
    expect(t.sentSteps()).toEqual([1, 4]);
  });

  it('leaving a step whose task the sequence waits for skips that task', async () => {
    const t = await setUp();
    await moveEnrollment(t.deps, t.id, 2, NOW + HOUR);
    await runUntil(t, NOW + 3 * HOUR);
    const task = (await t.db.tasks.toArray())[0]!;
    expect((await t.get()).waitingTaskId).toBe(task.id);
    await moveEnrollment(t.deps, t.id, 3, NOW + 3 * HOUR);
    expect(await t.db.tasks.get(task.id)).toMatchObject({ status: 'skipped', doneAt: NOW + 3 * HOUR });
    expect((await t.get()).waitingTaskId).toBeUndefined();
    // The contact's timeline and task adherence see the skip, as when the rep skips it in the queue: once.
    const skips = (await t.db.events.toArray()).filter((e) => e.type === 'task_skipped');
    expect(skips).toEqual([
      expect.objectContaining({
        id: `task_skipped:${task.id}`,
        at: NOW + 3 * HOUR,
        enrollmentId: t.id,
        stepIndex: 2,
        stepId: 'call',
        reason: 'moved',
        data: expect.objectContaining({ taskId: task.id, taskType: 'call', dueAt: task.dueAt }),
      }),
    ]);
    await runUntil(t, NOW + 5 * DAY);
    expect(t.sentSteps()).toEqual([1, 4]);
  });

  it('an email that may have reached the mailbox (its send claimed, not confirmed) counts as sent', async () => {
    const t = await setUp();
    // Step b is claimed in flight (a crash after the claim): its email may have reached the mailbox.
    await runUntil(t, NOW + 2 * DAY + MIN);
    const row = await t.db.outbox.get(`${t.id}:1`);
    expect(row?.state).toBe('sent');
    await t.db.outbox.put({ ...row!, state: 'claimed', leaseUntil: NOW + 3 * DAY });
    await moveEnrollment(t.deps, t.id, 3, NOW + 2 * DAY + 2 * MIN);
    await expect(moveEnrollment(t.deps, t.id, 1, NOW + 2 * DAY + 3 * MIN)).rejects.toThrow(
      'Step 2 was already sent to them',
    );
  });
});
