import type { UnenrollReason } from '../domain/enrollment-reasons';
import type { Event, EventType } from '../domain/event';
import { PAUSE_WORDS } from './enrollment-words';

export interface TimelineEntry {
  id: string;
  at: number;
  type: EventType;
  /** What happened, in a few words. */
  label: string;
  /** The subject, the reason, the problem... */
  detail?: string;
  sequenceName?: string;
  /** 1-based. */
  stepNumber?: number;
  /** The provider's conversation, for an email sent. */
  threadId?: string;
  /** Opens are estimates (image loads; privacy proxies open everything). */
  estimate?: boolean;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

const UNENROLL: Readonly<Record<string, string>> = {
  replied: 'they replied',
  meeting_booked: 'a meeting was booked',
  bounced: 'the address bounced',
  unsubscribed: 'they unsubscribed',
  manual: 'by the rep',
  company_replied: 'someone at their company replied',
  error: 'an error',
} satisfies Record<UnenrollReason, string>;
const PAUSE: Readonly<Record<string, string>> = PAUSE_WORDS;
const TASK: Record<string, string> = {
  manual_email: 'Email task',
  call: 'Call',
  linkedin: 'LinkedIn task',
  todo: 'To-do',
};

export function describeEvent(e: Event): Pick<TimelineEntry, 'label' | 'detail' | 'threadId' | 'estimate'> {
  const d = e.data ?? {};
  switch (e.type) {
    case 'enrolled':
      return { label: 'Enrolled' };
    case 'sent':
      return { label: 'Email sent', detail: str(d.subject), threadId: str(d.threadId) };
    case 'opened':
      return { label: 'Opened', estimate: true };
    case 'clicked':
      return { label: 'Clicked a link', detail: str(d.url) };
    case 'replied':
      return { label: 'Replied' };
    case 'auto_replied':
      return { label: 'Automatic reply' };
    case 'out_of_office':
      return {
        label: 'Out-of-office reply',
        detail:
          typeof d.until === 'number' ? `back ${new Date(d.until).toISOString().slice(0, 10)}` : undefined,
      };
    case 'bounced':
      return { label: d.permanent === false ? 'Bounced (temporary)' : 'Bounced', detail: str(d.reason) };
    case 'unsubscribed':
      return { label: 'Unsubscribed' };
    case 'meeting_booked':
      return { label: 'Meeting booked' };
    case 'task_created':
      return { label: `${TASK[str(d.taskType) ?? ''] ?? 'Task'} due` };
    case 'task_completed':
      return { label: `${TASK[str(d.taskType) ?? ''] ?? 'Task'} done`, detail: str(d.outcome) };
    case 'task_skipped':
      return { label: `${TASK[str(d.taskType) ?? ''] ?? 'Task'} skipped` };
    case 'paused':
      return {
        label: `Paused: ${PAUSE[String(e.reason)] ?? String(e.reason ?? 'by the rep')}`,
        detail:
          str(d.detail) ??
          (typeof d.until === 'number' ? `until ${new Date(d.until).toISOString().slice(0, 10)}` : undefined),
      };
    case 'resumed':
      return { label: 'Resumed' };
    case 'unenrolled':
      return {
        label: `Unenrolled: ${UNENROLL[String(e.reason)] ?? String(e.reason ?? '')}`,
        detail: str(d.detail),
      };
    case 'finished':
      return { label: 'Finished the sequence' };
    case 'send_failed':
      return { label: 'Send failed', detail: str(d.message) };
  }
}

/** A contact's history across all their enrollments, newest first. */
export function contactTimeline(
  events: readonly Event[],
  sequenceNames: ReadonlyMap<string, string>,
): TimelineEntry[] {
  return [...events]
    .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
    .map((e) => ({
      id: e.id,
      at: e.at,
      type: e.type,
      ...describeEvent(e),
      ...(e.sequenceId ? { sequenceName: sequenceNames.get(e.sequenceId) ?? e.sequenceId } : {}),
      ...(e.stepIndex !== undefined ? { stepNumber: e.stepIndex + 1 } : {}),
    }));
}
