/**
 * The two workloads of the CRM bench (crm-mixed.ts runs them), as the devices' sync mutations:
 * - `activities`: 1,000 activities of the five HubSpot kinds in a sequence tool's proportions (mostly emails
 *   out; replies, calls and LinkedIn or to-do tasks, out-of-office, bounce and unsubscribe notes, meetings);
 * - `touches`: the bench's older mix, 920 activities in equal sixths plus 80 deal writes (the deal writes are
 *   added by crm-mixed.ts).
 */
import type { Mutation } from '../../lib/contract/sync';

export const CONTACTS = 100;

/** The `activities` mix per 1,000: 550 emails, 70 notes, 150 calls, 160 tasks, 70 meetings. */
export const ACTIVITY_MIX = {
  sent: 430,
  replied: 80,
  manual_email: 40,
  out_of_office: 40,
  bounced: 20,
  unsubscribed: 10,
  call: 150,
  linkedin: 120,
  todo: 40,
  meeting_booked: 70,
} as const;
type Touch = keyof typeof ACTIVITY_MIX;

/** The `touches` mix's activities: one of each of these six in turn. */
const SIXTHS: Touch[] = ['sent', 'replied', 'out_of_office', 'call', 'linkedin', 'meeting_booked'];
export const TOUCH_ACTIVITIES = 920;

/** The mix spread evenly over 1,000 slots (each kind at its share of the positions), deterministic. */
function spread(): Touch[] {
  const slots: { kind: Touch; at: number }[] = [];
  for (const [kind, n] of Object.entries(ACTIVITY_MIX) as [Touch, number][])
    for (let j = 0; j < n; j++) slots.push({ kind, at: (j + 0.5) / n });
  return slots.sort((a, b) => a.at - b.at).map((s) => s.kind);
}

export function activityKinds(workload: 'activities' | 'touches'): Touch[] {
  if (workload === 'activities') return spread();
  return Array.from({ length: TOUCH_ACTIVITIES }, (_, i) => SIXTHS[i % SIXTHS.length]!);
}

const TASK_TYPES: Partial<Record<Touch, { type: string; title: string }>> = {
  call: { type: 'call', title: 'Discovery call' },
  linkedin: { type: 'linkedin', title: 'LinkedIn message' },
  todo: { type: 'todo', title: 'Send the case study' },
  manual_email: { type: 'manual_email', title: 'Personal follow-up' },
};

/** The activities as the devices report them: events, and tasks created then completed; contact i % 100. */
export function activityMutations(kinds: Touch[], run: number, at: number): Omit<Mutation, 'id'>[] {
  const events: Record<string, unknown>[] = [];
  const tasks: Omit<Mutation, 'id'>[] = [];
  kinds.forEach((kind, i) => {
    const c = i % CONTACTS;
    const base = { id: `b${run}-${i}`, at: at + i, enrollmentId: `e${c}`, stepIndex: 0 };
    const task = TASK_TYPES[kind];
    if (task) {
      const taskId = `t${run}-${i}`;
      tasks.push(
        {
          name: 'task.create',
          args: {
            id: taskId,
            enrollmentId: `e${c}`,
            sequenceId: 'q',
            contactId: `c${c}`,
            stepId: 's',
            stepIndex: 0,
            type: task.type,
            title: task.title,
            notes: '',
            priority: 'medium',
            createdAt: at,
            dueAt: at,
            blocking: false,
            status: 'open',
          },
        },
        {
          name: 'task.complete',
          args: {
            taskId,
            at: at + i,
            ...(kind === 'call' ? { outcome: 'connected', notes: 'Good fit' } : {}),
          },
        },
      );
      return;
    }
    const data: Record<string, Record<string, unknown>> = {
      sent: { subject: `Follow-up ${i}`, text: 'Hello', html: '<p>Hello</p>' },
      replied: { text: 'Thursday works.' },
      out_of_office: { until: at + 7 * 86_400_000 },
      bounced: { permanent: true, reason: 'mailbox does not exist', status: '5.1.1' },
      unsubscribed: {},
      meeting_booked: { title: 'Demo', start: at + 86_400_000 },
    };
    events.push({ ...base, type: kind, data: data[kind] ?? {} });
  });
  return [{ name: 'events.record', args: { events } }, ...tasks];
}
