import { z } from 'zod';
import { ContactSchema } from '../domain/contact';
import { EpochMs, Email, Id } from '../domain/common';
import { EnrollmentSchema, PauseReason, UnenrollReason } from '../domain/enrollment';
import { EventSchema } from '../domain/event';
import { PROCESS_MUTATIONS } from './process-mutations';
import { SequenceSchema } from '../domain/sequence';
import { SuppressionSchema } from '../domain/suppression';
import { TaskSchema } from '../domain/task';

/**
 * The extension's operations, as the server applies them (server/README.md, "Conflicts").
 * Upserts are patches: the fields given win over what the server holds, the others stay (field-level
 * last-writer-wins in server order); a new row must be complete once patched.
 */
export const SequenceUpsert = SequenceSchema.omit({ ownerId: true, updatedAt: true })
  .partial()
  .required({ id: true })
  .strict();
export const ContactUpsert = ContactSchema.partial().required({ id: true }).strict();

/** Optional runner-owned fields the runner can take away (a task done, a pause over, a retry settled). */
export const CLEARABLE_PROGRESS = [
  'readyAt',
  'dueAt',
  'waitingTaskId',
  'detail',
  'remainingMs',
  'pausedUntil',
  'attention',
] as const;

/**
 * Runner-owned progress of an enrollment (what sending a step, creating or finishing a task, pausing or
 * resuming changed): the fields given are set, the fields in `cleared` are removed.
 */
export const EnrollmentProgress = EnrollmentSchema.pick({
  stepIndex: true,
  readyAt: true,
  dueAt: true,
  waitingTaskId: true,
  threadId: true,
  threadSubject: true,
  lastMessageId: true,
  lastProviderMessageId: true,
  messageIds: true,
  failures: true,
  detail: true,
  remainingMs: true,
  pausedUntil: true,
  attention: true,
})
  .partial()
  .extend({
    enrollmentId: Id,
    finishedAt: EpochMs.optional(),
    cleared: z.array(z.enum(CLEARABLE_PROGRESS)).max(CLEARABLE_PROGRESS.length).optional(),
  })
  .strict()
  .refine((p) => !p.cleared?.some((field) => p[field] !== undefined), {
    message: 'a field cannot be both set and cleared',
    path: ['cleared'],
  });

export const MutationArgs = {
  'sequence.upsert': SequenceUpsert,
  'sequence.archive': z.object({ sequenceId: Id, archived: z.boolean().default(true) }).strict(),
  'contact.upsert': ContactUpsert,
  'contact.delete': z.object({ contactId: Id }).strict(),
  enroll: EnrollmentSchema.omit({ version: true }).strict(),
  'enrollment.pause': z
    .object({
      enrollmentId: Id,
      at: EpochMs,
      reason: PauseReason.default('manual'),
      until: EpochMs.optional(),
    })
    .strict(),
  'enrollment.resume': z
    .object({ enrollmentId: Id, at: EpochMs, readyAt: EpochMs.optional(), dueAt: EpochMs.optional() })
    .strict(),
  'enrollment.unenroll': z
    .object({
      enrollmentId: Id,
      at: EpochMs,
      reason: UnenrollReason.default('manual'),
      detail: z.string().max(1000).optional(),
    })
    .strict(),
  'enrollment.progress': EnrollmentProgress,
  /** The rep moved a live enrollment to another step (0-based); the moments are the device's, on its calendar. */
  'enrollment.move': z
    .object({
      enrollmentId: Id,
      sequenceId: Id,
      toStep: z.number().int().nonnegative(),
      readyAt: EpochMs.optional(),
      dueAt: EpochMs.optional(),
      remainingMs: z.number().int().nonnegative().optional(),
    })
    .strict(),
  'task.create': TaskSchema,
  'task.complete': z
    .object({
      taskId: Id,
      at: EpochMs,
      outcome: z.string().max(200).optional(),
      notes: z.string().max(10_000).optional(),
    })
    .strict(),
  'task.skip': z.object({ taskId: Id, at: EpochMs }).strict(),
  'task.snooze': z.object({ taskId: Id, dueAt: EpochMs }).strict(),
  'suppression.add': SuppressionSchema,
  'suppression.remove': z.object({ email: Email }).strict(),
  'events.record': z.object({ events: z.array(EventSchema).min(1).max(1000) }).strict(),
  ...PROCESS_MUTATIONS,
} as const;

export type MutationName = keyof typeof MutationArgs;
export const MutationNames = Object.keys(MutationArgs) as MutationName[];
export type MutationArgsOf<N extends MutationName> = z.infer<(typeof MutationArgs)[N]>;
