import { describe, expect, it } from 'vitest';
import type { Event } from '../domain/event';
import { contactTimeline } from './contact-timeline';

const ev = (id: string, at: number, type: Event['type'], more: Partial<Event> = {}): Event => ({
  id,
  at,
  type,
  enrollmentId: 'e1',
  sequenceId: 'seq1',
  ...more,
});

describe('a contact’s timeline', () => {
  it('tells what happened, newest first, with subjects, threads, reply kinds, tasks and pauses', () => {
    const timeline = contactTimeline(
      [
        ev('a', 1, 'enrolled', { stepIndex: 0 }),
        ev('b', 2, 'sent', { stepIndex: 0, data: { subject: 'Hi Ada', threadId: 't-1' } }),
        ev('c', 3, 'opened', { stepIndex: 0 }),
        ev('d', 4, 'task_skipped', { stepIndex: 1, data: { taskType: 'call' } }),
        ev('e', 5, 'paused', {
          reason: 'needs_attention',
          data: { detail: 'Step 3: no value for {{company.name}}' },
        }),
        ev('f', 6, 'auto_replied'),
        ev('g', 7, 'unenrolled', { reason: 'replied' }),
      ],
      new Map([['seq1', 'Q1 outbound']]),
    );
    expect(timeline.map((t) => [t.label, t.detail ?? ''])).toEqual([
      ['Unenrolled: they replied', ''],
      ['Automatic reply', ''],
      ['Paused: needs attention', 'Step 3: no value for {{company.name}}'],
      ['Call skipped', ''],
      ['Opened', ''],
      ['Email sent', 'Hi Ada'],
      ['Enrolled', ''],
    ]);
    expect(timeline[4]!.estimate).toBe(true);
    expect(timeline[5]).toMatchObject({ threadId: 't-1', sequenceName: 'Q1 outbound', stepNumber: 1 });
  });
});
