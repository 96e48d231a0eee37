import { describe, expect, it } from 'vitest';
import { MutationArgs } from '../contract/mutations';
import type { Enrollment } from '../domain/enrollment';
import type { Task } from '../domain/task';
import { pause } from '../engine/transitions';
import { eventMutations, mutationsForChange, type PendingMutation } from './row-mutations';

const T = Date.parse('2026-03-02T09:00:00Z');
const enrollment: Enrollment = {
  id: 'e1',
  sequenceId: 's1',
  contactId: 'c1',
  mailbox: 'rep@acme.test',
  status: 'active',
  enrolledAt: T,
  stepIndex: 0,
  readyAt: T,
  dueAt: T,
  edits: { st1: { subject: 'Hi Ada', body: '<p>Hello</p>' } },
  messageIds: [],
  failures: 0,
  version: 3,
};
const task: Task = {
  id: 't1',
  enrollmentId: 'e1',
  sequenceId: 's1',
  contactId: 'c1',
  stepId: 'st2',
  stepIndex: 1,
  type: 'call',
  title: 'Call Ada',
  notes: '',
  priority: 'medium',
  createdAt: T,
  dueAt: T + 3600_000,
  blocking: true,
  status: 'open',
};

/** Every mutation the extension produces must be one the server accepts. */
function expectValid(mutations: PendingMutation[]) {
  for (const m of mutations) {
    const parsed = MutationArgs[m.name].safeParse(m.args);
    expect(parsed.error?.message, `${m.name} ${JSON.stringify(m.args)}`).toBeUndefined();
  }
  return mutations.map((m) => m.name);
}

describe('a local change becomes the mutations the backend applies', () => {
  it('a new enrollment is an enroll carrying the rep’s edited emails', () => {
    const out = mutationsForChange('enrollments', undefined, enrollment);
    expect(expectValid(out)).toEqual(['enroll']);
    expect(out[0]!.args.edits).toEqual(enrollment.edits);
    expect(out[0]!.args).not.toHaveProperty('version');
  });

  it('a sent step is progress with only the fields that changed', () => {
    const after = { ...enrollment, stepIndex: 1, threadId: 'th1', messageIds: ['<m1@x>'], version: 4 };
    const out = mutationsForChange('enrollments', enrollment, after);
    expect(expectValid(out)).toEqual(['enrollment.progress']);
    expect(out[0]!.args).toEqual({
      enrollmentId: 'e1',
      stepIndex: 1,
      threadId: 'th1',
      messageIds: ['<m1@x>'],
    });
  });

  it('pausing, resuming, unenrolling and finishing each say what happened', () => {
    const paused: Enrollment = {
      ...enrollment,
      status: 'paused',
      pausedAt: T + 5,
      pauseReason: 'out_of_office',
      pausedUntil: T + 86_400_000,
    };
    const pause = mutationsForChange('enrollments', enrollment, paused);
    expect(expectValid(pause)).toEqual(['enrollment.pause', 'enrollment.progress']);
    expect(pause[1]!.args).toEqual({ enrollmentId: 'e1', pausedUntil: T + 86_400_000 });
    const resume = mutationsForChange('enrollments', paused, { ...enrollment, readyAt: T + 9 });
    expect(expectValid(resume)).toEqual(['enrollment.resume', 'enrollment.progress']);
    expect(resume[1]!.args).toEqual({ enrollmentId: 'e1', readyAt: T + 9, cleared: ['pausedUntil'] });
    const replied: Enrollment = { ...enrollment, status: 'unenrolled', reason: 'replied', endedAt: T + 7 };
    const unenroll = mutationsForChange('enrollments', enrollment, replied);
    expect(expectValid(unenroll)).toEqual(['enrollment.unenroll']);
    expect(unenroll[0]!.args).toMatchObject({ reason: 'replied', at: T + 7 });
    const done: Enrollment = { ...enrollment, status: 'finished', stepIndex: 3, endedAt: T + 8 };
    const finished = mutationsForChange('enrollments', enrollment, done);
    expect(expectValid(finished)).toEqual(['enrollment.progress']);
    expect(finished[0]!.args).toMatchObject({ stepIndex: 3, finishedAt: T + 8 });
  });

  it('fields the runner took away are cleared, so the row that comes back from the server is this one', () => {
    const waiting: Enrollment = { ...enrollment, waitingTaskId: 't1', readyAt: undefined, dueAt: undefined };
    const wait = mutationsForChange('enrollments', enrollment, waiting);
    expect(expectValid(wait)).toEqual(['enrollment.progress']);
    expect(wait[0]!.args).toEqual({ enrollmentId: 'e1', waitingTaskId: 't1', cleared: ['readyAt', 'dueAt'] });
    // The task is done: the runner goes one step on (a jump further is the rep's move, below).
    const next: Enrollment = { ...enrollment, stepIndex: 1, readyAt: T + 60, dueAt: T + 60 };
    const done = mutationsForChange('enrollments', waiting, next);
    expect(done[0]!.args).toEqual({
      enrollmentId: 'e1',
      stepIndex: 1,
      readyAt: T + 60,
      dueAt: T + 60,
      cleared: ['waitingTaskId'],
    });
    expect(
      MutationArgs['enrollment.progress'].safeParse({ enrollmentId: 'e1', dueAt: T, cleared: ['dueAt'] })
        .error?.issues[0]?.message,
    ).toBe('a field cannot be both set and cleared');
  });

  it('what a pause asks the rep to act on goes to the backend, and is cleared there when it runs again', () => {
    const attention = {
      kind: 'unreadable_message' as const,
      detail: 'A message from Ada could not be read: open it',
      providerMessageId: '18c2f0a1b2c3d4e5',
      from: 'ada@acme.example',
    };
    const paused: Enrollment = {
      ...enrollment,
      status: 'paused',
      pausedAt: T + 5,
      pauseReason: 'needs_attention',
      detail: attention.detail,
      attention,
    };
    const pause = mutationsForChange('enrollments', enrollment, paused);
    expect(expectValid(pause)).toEqual(['enrollment.pause', 'enrollment.progress']);
    expect(pause[1]!.args).toEqual({ enrollmentId: 'e1', detail: attention.detail, attention });
    const resume = mutationsForChange('enrollments', paused, enrollment);
    expect(expectValid(resume)).toEqual(['enrollment.resume', 'enrollment.progress']);
    expect(resume[1]!.args).toEqual({ enrollmentId: 'e1', cleared: ['detail', 'attention'] });
  });

  it('the rep’s move to another step is a move the server checks, then the runner’s fields without the step', () => {
    const moved: Enrollment = {
      ...enrollment,
      stepIndex: 2,
      readyAt: T + 86_400_000,
      dueAt: T + 86_400_000,
      version: 4,
    };
    const out = mutationsForChange('enrollments', enrollment, moved);
    expect(expectValid(out)).toEqual(['enrollment.move', 'enrollment.progress']);
    expect(out[0]!.args).toEqual({
      enrollmentId: 'e1',
      sequenceId: 's1',
      toStep: 2,
      readyAt: T + 86_400_000,
      dueAt: T + 86_400_000,
    });
    expect(out[1]!.args).not.toHaveProperty('stepIndex');
    const back = mutationsForChange(
      'enrollments',
      { ...enrollment, stepIndex: 3 },
      { ...enrollment, stepIndex: 1 },
    );
    expect(expectValid(back)).toEqual(['enrollment.move']);
  });

  it('a paused enrollment paused again for another reason says so, so the server takes the new reason', () => {
    const manual = pause(enrollment, T, 'manual');
    // An out-of-office reply while the rep had it paused: the engine pauses it again until the contact is back.
    const away = pause(manual, T + 60_000, 'out_of_office', T + 86_400_000);
    const out = mutationsForChange('enrollments', manual, away);
    expect(expectValid(out)).toEqual(['enrollment.pause', 'enrollment.progress']);
    expect(out[0]!.args).toEqual({
      enrollmentId: 'e1',
      at: T,
      reason: 'out_of_office',
      until: T + 86_400_000,
    });
    // Paused again for the same reason (a later return date) needs no pause: its fields are progress.
    const later = pause(away, T + 120_000, 'out_of_office', T + 2 * 86_400_000);
    expect(expectValid(mutationsForChange('enrollments', away, later))).toEqual(['enrollment.progress']);
  });

  it('an enrollment written again unchanged sends nothing', () => {
    expect(mutationsForChange('enrollments', enrollment, { ...enrollment, version: 9 })).toEqual([]);
  });

  it('tasks are created, completed with their outcome, skipped or snoozed', () => {
    expect(expectValid(mutationsForChange('tasks', undefined, task))).toEqual(['task.create']);
    const completed = mutationsForChange('tasks', task, {
      ...task,
      status: 'completed',
      doneAt: T + 10,
      outcome: 'connected',
      outcomeNotes: 'Wants a demo',
    });
    expect(expectValid(completed)).toEqual(['task.complete']);
    expect(completed[0]!.args).toMatchObject({ outcome: 'connected', notes: 'Wants a demo' });
    expect(expectValid(mutationsForChange('tasks', task, { ...task, status: 'skipped', doneAt: T }))).toEqual(
      ['task.skip'],
    );
    expect(expectValid(mutationsForChange('tasks', task, { ...task, dueAt: T + 99 }))).toEqual([
      'task.snooze',
    ]);
    // A finished task does not change any more.
    const done = { ...task, status: 'completed' as const, doneAt: T };
    expect(mutationsForChange('tasks', done, { ...done, dueAt: T + 5 })).toEqual([]);
  });

  it('sequences upsert without the fields the server stamps', () => {
    const out = mutationsForChange('sequences', undefined, {
      id: 's1',
      name: 'Follow-up',
      ownerId: 'rep@acme.test',
      sharing: 'team',
      steps: [{ id: 'st1', type: 'todo', delay: { value: 0, unit: 'days' }, title: 'Look', notes: '' }],
      archived: false,
      updatedAt: T,
    });
    expect(expectValid(out)).toEqual(['sequence.upsert']);
    expect(out[0]!.args).not.toHaveProperty('ownerId');
  });

  it('contacts and the do-not-contact list are added and removed', () => {
    const contact = { id: 'c1', email: 'ada@example.com', firstName: 'Ada', custom: {} };
    expect(expectValid(mutationsForChange('contacts', undefined, contact))).toEqual(['contact.upsert']);
    expect(expectValid(mutationsForChange('contacts', contact, undefined))).toEqual(['contact.delete']);
    const dnc = { email: 'no@example.com', reason: 'manual' as const, at: T };
    expect(expectValid(mutationsForChange('suppressions', undefined, dnc))).toEqual(['suppression.add']);
    expect(expectValid(mutationsForChange('suppressions', dnc, undefined))).toEqual(['suppression.remove']);
  });

  it('events go in batches of at most 1,000', () => {
    const events = Array.from({ length: 2500 }, (_, i) => ({
      id: `ev${i}`,
      at: T + i,
      type: 'sent' as const,
    }));
    const out = eventMutations(events);
    expect(expectValid(out)).toEqual(['events.record', 'events.record', 'events.record']);
    expect(out.map((m) => (m.args.events as unknown[]).length)).toEqual([1000, 1000, 500]);
  });
});
