import { EnrollmentSchema, type Enrollment } from '../../lib/domain/enrollment';
import { TaskSchema, type Task } from '../../lib/domain/task';
import { finish, pause, resumeOn, unenroll } from '../../lib/engine/transitions';
import {
  owned,
  putOwned,
  Rejection,
  sent,
  usable,
  validate,
  type MutationCtx,
  type MutationHandlers,
} from './mutation-kit';

/**
 * Enrollments and their tasks. A status change goes through lib/engine's transition, as on the device, so both
 * hold the same row and an ended enrollment stays ended; the runner's own fields arrive with the
 * `enrollment.progress` that follows (lib/sync/row-mutations.ts). Stored rows are validated before and after.
 */
async function changeEnrollment(ctx: MutationCtx, id: string, change: (e: Enrollment) => Enrollment) {
  const row = await owned(ctx, 'enrollment', id);
  const current = validate(EnrollmentSchema, row.data, 'enrollment');
  const next = change(current);
  if (next === current) return;
  await putOwned(
    ctx,
    'enrollment',
    id,
    // One write is one version, however many engine steps it took.
    validate(EnrollmentSchema, { ...next, version: current.version + 1 }, 'enrollment'),
  );
}

async function changeTask(ctx: MutationCtx, id: string, change: (t: Task) => Task) {
  const row = await owned(ctx, 'task', id);
  const task = validate(TaskSchema, row.data, 'task');
  // Completion and skipping are final: a later reschedule or second finish changes nothing.
  if (task.status !== 'open') return;
  await putOwned(ctx, 'task', id, validate(TaskSchema, change(task), 'task'));
}

function without<T extends object>(value: T, ...keys: (keyof T)[]): T {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

const enrollmentRow = (args: { enrollmentId: string }) => [
  { kind: 'enrollment' as const, id: args.enrollmentId },
];
const taskRow = (args: { taskId: string }) => [{ kind: 'task' as const, id: args.taskId }];

/**
 * A deal's task (its Next step's call or to-do, a stage automation's) is kept under the enrollment key
 * `deal:<deal id>` (lib/background/deals.ts): it belongs to the deal, which must be the caller's.
 */
const taskParent = (enrollmentId: string) => {
  const dealId = /^deal:(.+)$/.exec(enrollmentId)?.[1];
  return dealId ? { kind: 'deal' as const, id: dealId } : { kind: 'enrollment' as const, id: enrollmentId };
};

export const enrollmentMutations: MutationHandlers<
  | 'enroll'
  | 'enrollment.pause'
  | 'enrollment.resume'
  | 'enrollment.unenroll'
  | 'enrollment.progress'
  | 'task.create'
  | 'task.complete'
  | 'task.skip'
  | 'task.snooze'
> = {
  enroll: {
    reads: (args) => [
      { kind: 'enrollment', id: args.id },
      { kind: 'contact', id: args.contactId },
      { kind: 'sequence', id: args.sequenceId },
    ],
    async apply(ctx, args) {
      const existing = await ctx.w.get('enrollment', args.id);
      if (existing) {
        if (existing.ownerId !== ctx.caller.id) throw new Rejection(`enrollment id ${args.id} is taken`);
        return; // Enrolling is idempotent by id.
      }
      // Analytics counts a rep's results by the mailbox they left from: a colleague's is not the caller's to use.
      if (ctx.colleagues?.has(args.mailbox.toLowerCase()))
        throw new Rejection(
          `mailbox: ${args.mailbox} is a colleague’s address; enroll from a mailbox of your own`,
        );
      const contact = await owned(ctx, 'contact', args.contactId);
      await usable(ctx, 'sequence', args.sequenceId);
      const email = String(contact.data.email);
      const suppressed = await ctx.w.get('suppression', email);
      if (suppressed && !suppressed.deleted) throw new Rejection(`${email} is on the do-not-contact list`);
      await putOwned(ctx, 'enrollment', args.id, { ...args, version: 0 });
    },
  },
  'enrollment.pause': {
    reads: enrollmentRow,
    async apply(ctx, { enrollmentId, at, reason, until }) {
      // The detail and what needs the rep's attention are the runner's, set by the progress that follows.
      await changeEnrollment(ctx, enrollmentId, (e) => pause(e, at, reason, until, e.detail, e.attention));
    },
  },
  'enrollment.resume': {
    reads: enrollmentRow,
    async apply(ctx, { enrollmentId, readyAt, dueAt }) {
      // The device worked the moments out on the sequence's calendar; without them the row's own stay.
      await changeEnrollment(ctx, enrollmentId, (e) =>
        resumeOn(e, { readyAt: readyAt ?? e.readyAt, dueAt: dueAt ?? e.dueAt }),
      );
    },
  },
  'enrollment.unenroll': {
    reads: enrollmentRow,
    async apply(ctx, { enrollmentId, at, reason, detail }) {
      await changeEnrollment(ctx, enrollmentId, (e) => unenroll(e, at, reason, detail));
    },
  },
  'enrollment.progress': {
    reads: enrollmentRow,
    async apply(ctx, { enrollmentId, finishedAt, cleared = [], ...fields }, given) {
      await changeEnrollment(ctx, enrollmentId, (e) => {
        const next: Enrollment = without({ ...e, ...sent(fields, given) }, ...cleared);
        return finishedAt === undefined ? next : finish(next, finishedAt);
      });
    },
  },
  'task.create': {
    reads: (task) => [{ kind: 'task', id: task.id }, taskParent(task.enrollmentId)],
    async apply(ctx, task) {
      const existing = await ctx.w.get('task', task.id);
      if (existing) {
        if (existing.ownerId !== ctx.caller.id) throw new Rejection(`task id ${task.id} is taken`);
        return;
      }
      const parent = taskParent(task.enrollmentId);
      await owned(ctx, parent.kind, parent.id);
      await putOwned(ctx, 'task', task.id, task);
    },
  },
  'task.complete': {
    reads: taskRow,
    async apply(ctx, { taskId, at, outcome, notes }) {
      await changeTask(ctx, taskId, (t) => ({
        ...t,
        status: 'completed',
        doneAt: at,
        ...(outcome !== undefined ? { outcome } : {}),
        ...(notes !== undefined ? { outcomeNotes: notes } : {}),
      }));
    },
  },
  'task.skip': {
    reads: taskRow,
    async apply(ctx, { taskId, at }) {
      await changeTask(ctx, taskId, (t) => ({ ...t, status: 'skipped', doneAt: at }));
    },
  },
  'task.snooze': {
    reads: taskRow,
    async apply(ctx, { taskId, dueAt }) {
      await changeTask(ctx, taskId, (t) => ({ ...t, dueAt }));
    },
  },
};
