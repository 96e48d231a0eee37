import { describe, expect, it } from 'vitest';
import type { Enrollment } from '../domain/enrollment';
import { finish, pause, resume, resumeOn, unenroll } from './transitions';
import type { SendCalendar } from './calendar';

const T = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;
const active: Enrollment = {
  id: 'e1',
  sequenceId: 's1',
  contactId: 'c1',
  mailbox: 'rep@acme.test',
  status: 'active',
  enrolledAt: T,
  stepIndex: 1,
  readyAt: T + 2 * HOUR,
  dueAt: T + 2 * HOUR,
  edits: {},
  messageIds: [],
  failures: 2,
  detail: 'Gmail answered 503',
  version: 4,
};
const ANY_TIME: SendCalendar = {
  timeZone: 'UTC',
  windowStart: 0,
  windowEnd: 24 * 60,
  weekdaysOnly: false,
  holidays: new Set(),
};

describe('the enrollment state machine', () => {
  it('pauses a paused enrollment again with the new reason and return date, from when it was first paused', () => {
    const manual = pause(active, T, 'manual');
    const away = pause(manual, T + HOUR, 'out_of_office', T + 48 * HOUR);
    expect(away).toMatchObject({
      status: 'paused',
      pauseReason: 'out_of_office',
      pausedAt: T,
      pausedUntil: T + 48 * HOUR,
      remainingMs: 2 * HOUR,
      dueAt: T + 48 * HOUR,
      version: 6,
    });
  });

  it('resumes on the schedule a device worked out exactly as resuming on the calendar gave it', () => {
    const paused = pause(active, T, 'manual');
    const onCalendar = resume(paused, T + HOUR, ANY_TIME);
    expect(resumeOn(paused, { readyAt: onCalendar.readyAt, dueAt: onCalendar.dueAt })).toEqual(onCalendar);
    expect(onCalendar).toMatchObject({ status: 'active', readyAt: T + 3 * HOUR, failures: 0 });
    expect(onCalendar.pauseReason).toBeUndefined();
  });

  it('resumes a sequence waiting for a task with nothing due, whatever schedule it is given', () => {
    const waiting = pause({ ...active, waitingTaskId: 't1' }, T, 'manual');
    expect(resumeOn(waiting, { readyAt: T, dueAt: T })).toMatchObject({ status: 'active', dueAt: undefined });
  });

  it('finishes a live enrollment with nothing due or awaited, and leaves an ended one as it was', () => {
    const done = finish({ ...active, waitingTaskId: 't1' }, T + HOUR);
    expect(done).toMatchObject({ status: 'finished', endedAt: T + HOUR, version: 5 });
    expect([done.dueAt, done.readyAt, done.waitingTaskId]).toEqual([undefined, undefined, undefined]);
    const ended = unenroll(active, T, 'replied');
    for (const later of [finish(ended, T + HOUR), pause(ended, T + HOUR, 'manual'), resumeOn(ended, {})])
      expect(later).toBe(ended);
  });
});
