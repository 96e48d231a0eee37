import type { Event, EventType } from '../../lib/domain/event';

/**
 * Event histories for the analytics tests (lib/analytics, server/analytics), shaped like the runner records them: signals (replies,
 * bounces...) carry the enrollment's *next* step, as lib/runner/actions.ts stamps them.
 */
export function history() {
  const events: Event[] = [];
  let serial = 0;

  function enrollment(id: string, where: { sequenceId?: string; mailbox?: string } = {}) {
    const base = {
      enrollmentId: id,
      contactId: `contact-${id}`,
      sequenceId: where.sequenceId ?? 'seq-1',
      mailbox: where.mailbox ?? 'ann@acme.test',
    };
    let next = 0;
    const add = (type: EventType, at: number, extra: Partial<Event> = {}) => {
      events.push({ id: `${type}:${id}:${serial++}`, at, type, ...base, ...extra });
      return api;
    };
    const task = (type: EventType, at: number, stepIndex: number, dueAt: number) =>
      add(type, at, { stepIndex, data: { taskId: `${id}:${stepIndex}`, dueAt } });
    const api = {
      enrolled: (at: number, stepIndex = 0) => add('enrolled', at, { stepIndex }),
      sent: (at: number, stepIndex: number, variant?: number) => {
        next = stepIndex + 1;
        return add('sent', at, { stepIndex, data: variant === undefined ? {} : { variant } });
      },
      opened: (at: number, o: { stepIndex?: number; machine?: boolean } = {}) =>
        add('opened', at, { stepIndex: o.stepIndex, data: o.machine ? { machine: true } : {} }),
      clicked: (at: number, stepIndex?: number) => add('clicked', at, { stepIndex }),
      replied: (at: number) => add('replied', at, { stepIndex: next }),
      autoReplied: (at: number) => add('auto_replied', at, { stepIndex: next }),
      outOfOffice: (at: number) => add('out_of_office', at, { stepIndex: next }),
      bounced: (at: number, permanent: boolean) =>
        add('bounced', at, { stepIndex: next, data: { permanent } }),
      meetingBooked: (at: number) => add('meeting_booked', at, { stepIndex: next }),
      unsubscribed: (at: number) => add('unsubscribed', at, { stepIndex: next }),
      unenrolled: (at: number, reason = 'manual') => add('unenrolled', at, { reason, stepIndex: next }),
      taskCreated: (at: number, stepIndex: number, dueAt: number) =>
        task('task_created', at, stepIndex, dueAt),
      taskCompleted: (at: number, stepIndex: number, dueAt: number) =>
        task('task_completed', at, stepIndex, dueAt),
      taskSkipped: (at: number, stepIndex: number, dueAt: number) =>
        task('task_skipped', at, stepIndex, dueAt),
    };
    return api;
  }

  return { events, enrollment };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
