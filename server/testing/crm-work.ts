import type { Mutation } from '../../lib/contract/sync';

export { xorshift } from './random';

/** The shipped playbook's stages and the HubSpot default pipeline's stage each is written as. */
export const HS_STAGE: Readonly<Record<string, string>> = {
  discovery: 'appointmentscheduled',
  qualified: 'qualifiedtobuy',
  demo: 'presentationscheduled',
  proposal: 'contractsent',
  negotiation: 'decisionmakerboughtin',
  won: 'closedwon',
  lost: 'closedlost',
};
const STAGES = Object.keys(HS_STAGE);

export type WorkMutation = Omit<Mutation, 'id'>;

/**
 * A rep's work that goes to HubSpot, as the extension pushes it: eight people at `domain` on one sequence
 * (`contacts[i]`, Threadline contact `c{i}`, enrollment `e{i}`), four deals (`d{k}` with `c{2k}` and
 * `c{2k+1}`), then batch after batch of sends, replies, out-of-office and bounce outcomes, meetings booked,
 * completed calls, LinkedIn steps, to-dos and manual emails, and stage moves. `expected` maps each activity
 * id the backend will queue to the index of its contact; `dealStage` holds each deal's last stage.
 */
export function crmWorkPlan(
  random: () => number,
  opts: { mailbox: string; now: () => number; domain: string },
) {
  const contacts = Array.from({ length: 8 }, (_, i) => `p${i}@${opts.domain}`);
  const expected = new Map<string, number>();
  const dealStage = new Map<string, string>();
  let eventNo = 0;
  let taskNo = 0;
  let lastMove = 0;
  /** The HubSpot activity objects the last batch creates records in. */
  let lastObjects = new Set<string>();
  /** Stage moves strictly later than the one before, whatever the clock's resolution. */
  const moveAt = () => (lastMove = Math.max(opts.now(), lastMove + 1));

  return {
    contacts,
    expected,
    dealStage,
    /** The people, the sequence and their enrollments. */
    people(): WorkMutation[] {
      return contacts.flatMap((email, i) => [
        { name: 'contact.upsert', args: { id: `c${i}`, email, firstName: `P${i}` } },
        ...(i === 0
          ? [
              {
                name: 'sequence.upsert',
                args: {
                  id: 'q',
                  name: 'Intro',
                  steps: [{ id: 's', type: 'auto_email', delay: { value: 0, unit: 'days' } }],
                },
              },
            ]
          : []),
        {
          name: 'enroll',
          args: {
            ...{ id: `e${i}`, sequenceId: 'q', contactId: `c${i}`, mailbox: opts.mailbox },
            ...{ status: 'active', enrolledAt: 1, stepIndex: 0 },
          },
        },
        { name: 'enrollment.progress', args: { enrollmentId: `e${i}`, threadSubject: `Hello P${i}` } },
      ]);
    },
    /** Four deals, each with a person HubSpot may have and one it may not. */
    deals(): WorkMutation[] {
      return [0, 1, 2, 3].map((k) => {
        dealStage.set(`d${k}`, 'discovery');
        const at = moveAt();
        return {
          name: 'deal.upsert',
          args: {
            ...{
              id: `d${k}`,
              name: `Deal ${k}`,
              pipelineId: 'b2b',
              stageId: 'discovery',
              stageEnteredAt: at,
            },
            amount: { value: 1000 * (k + 1), currency: 'EUR' },
            contacts: [
              { contactId: `c${2 * k}`, role: 'champion' },
              { contactId: `c${2 * k + 1}`, role: 'user' },
            ],
            createdAt: at,
            updatedAt: at,
          },
        };
      });
    },
    /** The HubSpot activity objects (emails, notes, calls, tasks, meetings) the last batch logs to. */
    get lastObjects(): string[] {
      return [...lastObjects];
    },
    /** One batch: one to six touches, and half the time a deal moved to another stage. */
    next(): WorkMutation[] {
      lastObjects = new Set();
      const mutations: WorkMutation[] = [];
      const events: Record<string, unknown>[] = [];
      const n = 1 + Math.floor(random() * 6);
      for (let k = 0; k < n; k++) {
        const i = Math.floor(random() * contacts.length);
        if (random() < 0.75) {
          const type = (['sent', 'replied', 'out_of_office', 'bounced', 'meeting_booked'] as const)[
            Math.floor(random() * 5)
          ]!;
          const id = `${type}:${++eventNo}`;
          events.push({
            ...{ id, type, at: opts.now(), enrollmentId: `e${i}`, stepIndex: 0 },
            ...(type === 'sent' ? { data: { subject: `Hello P${i}` } } : {}),
          });
          const kind =
            type === 'sent' || type === 'replied' ? 'email' : type === 'meeting_booked' ? 'meeting' : 'note';
          expected.set(`${kind}:${id}`, i);
          lastObjects.add(`${kind}s`);
        } else {
          const id = `e${i}:t${++taskNo}`;
          const type = (['call', 'linkedin', 'todo', 'manual_email'] as const)[Math.floor(random() * 4)]!;
          mutations.push(
            {
              name: 'task.create',
              args: {
                ...{ id, enrollmentId: `e${i}`, sequenceId: 'q', contactId: `c${i}`, stepId: 's' },
                ...{ stepIndex: 1, type, title: `Task ${taskNo}`, notes: '', priority: 'low' },
                ...{ createdAt: 1, dueAt: 2, blocking: false, status: 'open' },
              },
            },
            { name: 'task.complete', args: { taskId: id, at: opts.now(), outcome: 'Connected' } },
          );
          expected.set(`task:${id}`, i);
          lastObjects.add(type === 'call' ? 'calls' : type === 'manual_email' ? 'emails' : 'tasks');
        }
      }
      if (random() < 0.5) {
        const id = `d${Math.floor(random() * 4)}`;
        const stageId = STAGES[Math.floor(random() * STAGES.length)]!;
        dealStage.set(id, stageId);
        mutations.push({ name: 'deal.upsert', args: { id, stageId, stageEnteredAt: moveAt() } });
      }
      if (events.length) mutations.unshift({ name: 'events.record', args: { events } });
      return mutations;
    },
  };
}
