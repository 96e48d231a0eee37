import { z } from 'zod';
import { ContactSchema } from '../domain/contact';
import { Email, Id, TimeZone } from '../domain/common';
import { AttentionKind, EmailEditSchema, PauseReason, UnenrollReason } from '../domain/enrollment';
import { StepSchema } from '../domain/sequence';
import { STEP_TYPES } from '../domain/step-types';
import { TaskSchema } from '../domain/task';
import { RepSchema } from '../domain/rep';

/** Where one person of an opened thread stands (the thread panel's ParticipantState, on the wire). */
const StepType = z.enum(STEP_TYPES);
const inSequence = {
  enrollmentId: Id,
  sequenceName: z.string(),
  stepIndex: z.number(),
  stepCount: z.number(),
  stepType: StepType,
};
export const ParticipantStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('not_enrolled') }).strict(),
  z
    .object({
      kind: z.literal('active'),
      ...inSequence,
      nextAt: z.number().optional(),
      waitingForTask: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('paused'),
      ...inSequence,
      reason: PauseReason,
      until: z.number().optional(),
      detail: z.string().optional(),
      /** What a needs_attention pause asks of the rep; `openUrl` opens the message in the mail client. */
      attention: z
        .object({
          kind: AttentionKind,
          detail: z.string(),
          providerMessageId: z.string().optional(),
          from: z.string().optional(),
          openUrl: z.string().optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('finished'),
      enrollmentId: Id,
      sequenceName: z.string(),
      endedAt: z.number().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('unenrolled'),
      enrollmentId: Id,
      sequenceName: z.string(),
      reason: UnenrollReason,
      endedAt: z.number().optional(),
      detail: z.string().optional(),
      suppressed: z.boolean().optional(),
    })
    .strict(),
]);
export type ParticipantStateWire = z.infer<typeof ParticipantStateSchema>;

/** One open task as the queue shows it: the task, its contact, and where it sits in its sequence. */
const QueueItemSchema = z
  .object({
    task: TaskSchema,
    contact: ContactSchema,
    sequenceName: z.string(),
    stepLabel: z.string(),
    callScript: z.string().optional(),
    linkedinUrl: z.string().optional(),
  })
  .strict();
const SectionCount = z.number().int().min(0);

/** An enrollment the runner paused for the rep (contract 2), as the queue shows it. */
const AttentionItemSchema = z
  .object({
    enrollmentId: Id,
    contact: ContactSchema,
    sequenceName: z.string(),
    /** 1-based. */
    stepNumber: z.number().int().min(1),
    kind: AttentionKind,
    detail: z.string(),
    from: z.string().optional(),
    pausedAt: z.number().optional(),
    /** Tokens with no value that a contact field fills, so the queue can ask for them inline. */
    missing: z.array(z.string()),
  })
  .strict();

const ParticipantIn = z.object({ email: Email, name: z.string().max(200).optional() }).strict();

export const INBOX_MESSAGES = {
  'thread.state': {
    request: z.object({ participants: z.array(ParticipantIn).max(100) }).strict(),
    response: z
      .object({ participants: z.array(ParticipantIn.extend({ state: ParticipantStateSchema })) })
      .strict(),
  },
  /** The rep left the thread with these people: the backend stops counting their opens as the rep's views. */
  'thread.closed': {
    request: z.object({ participants: z.array(ParticipantIn).max(100) }).strict(),
    response: z.object({ ok: z.literal(true) }).strict(),
  },
  /**
   * A thread the mail client had no panel slot for (null: the rep left it): the background hands it to the
   * browser's side panel through storage.session, which content scripts cannot read or write.
   */
  'thread.fallback': {
    request: z
      .object({
        thread: z
          .object({
            id: z.string().min(1).max(1000),
            providerThreadId: z.string().max(1000).optional(),
            subject: z.string().max(2000),
            participants: z.array(ParticipantIn).max(100),
            me: z.string().max(320).optional(),
            /** People shown by name alone whose address could not be found. */
            unknownAddresses: z
              .array(z.object({ name: z.string().max(200) }).strict())
              .max(100)
              .optional(),
            host: z.enum(['gmail', 'outlook']),
          })
          .strict()
          .nullable(),
      })
      .strict(),
    response: z.object({ ok: z.literal(true) }).strict(),
  },
  'enroll.options': {
    /** The addresses about to be enrolled: what is known of them comes back in `contacts`. */
    request: z.object({ emails: z.array(Email).max(1000) }).strict(),
    response: z
      .object({
        sequences: z.array(
          z
            .object({
              id: Id,
              name: z.string(),
              steps: z.array(StepSchema),
              updatedAt: z.number(),
              lastUsedAt: z.number().optional(),
            })
            .strict(),
        ),
        contacts: z.array(ContactSchema),
        /** The rep as saved on this device: the clock times are shown on, and the signature token. */
        rep: RepSchema,
      })
      .strict(),
  },
  'enroll.submit': {
    request: z
      .object({
        sequenceId: Id,
        contacts: z.array(z.unknown()).min(1).max(1000),
        startStep: z.number().int().min(0).optional(),
        startAt: z.number().optional(),
        override: z.boolean().optional(),
        /** The connected mailbox that sends; the rep's own when absent (lib/runner/enroll.ts). */
        mailbox: Email.optional(),
        edits: z.record(Id, EmailEditSchema).default({}),
        thread: z
          .object({
            threadId: z.string(),
            subject: z.string(),
            lastMessageId: z.string().optional(),
            lastProviderMessageId: z.string().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    response: z
      .object({
        enrolled: z.array(
          z
            .object({
              email: z.string(),
              enrollmentId: z.string(),
              contactId: z.string(),
              firstDueAt: z.number().optional(),
            })
            .strict(),
        ),
        rejected: z.array(
          z
            .object({
              index: z.number(),
              email: z.string().optional(),
              reason: z.string(),
              message: z.string(),
            })
            .strict(),
        ),
      })
      .strict(),
  },
  'enrollment.act': {
    request: z
      .object({
        enrollmentId: Id,
        action: z.enum(['pause', 'resume', 'unenroll', 'meeting_booked', 'send_now']),
      })
      .strict(),
    response: z.object({ ok: z.literal(true) }).strict(),
  },
  'tasks.list': {
    request: z.object({}).strict(),
    response: z.object({ tasks: z.array(QueueItemSchema) }),
  },
  /**
   * The queue's first screen, answered from the due-time index without reading every task: the first `limit`
   * open tasks by due time, and how many open tasks are overdue (due before today), due today and upcoming,
   * days read on `timeZone` (the rep's clock, as the queue shows them).
   */
  'tasks.first': {
    request: z.object({ limit: z.number().int().min(1).max(200), timeZone: TimeZone }).strict(),
    response: z
      .object({
        tasks: z.array(QueueItemSchema),
        counts: z.object({ overdue: SectionCount, today: SectionCount, upcoming: SectionCount }).strict(),
      })
      .strict(),
  },
  'tasks.act': {
    request: z.discriminatedUnion('action', [
      z
        .object({
          taskId: Id,
          action: z.literal('complete'),
          outcome: z.string().max(200).optional(),
          notes: z.string().max(10_000).optional(),
        })
        .strict(),
      z.object({ taskId: Id, action: z.literal('skip') }).strict(),
      z.object({ taskId: Id, action: z.literal('snooze'), until: z.number() }).strict(),
      z.object({ taskId: Id, action: z.literal('reschedule'), dueAt: z.number() }).strict(),
    ]),
    response: z.object({ ok: z.literal(true) }).strict(),
  },
  /** Every enrollment paused because it needs the rep, oldest first. */
  'attention.list': {
    request: z.object({}).strict(),
    response: z.object({ items: z.array(AttentionItemSchema) }).strict(),
  },
  /**
   * The rep filled the values a paused enrollment lacked (token path -> value): they are saved on the contact,
   * and the enrollment resumes through the runner when its step now renders.
   */
  'attention.fix': {
    request: z
      .object({
        enrollmentId: Id,
        values: z.record(z.string().max(100), z.string().trim().min(1).max(2000)),
      })
      .strict(),
    response: z.object({ resumed: z.boolean() }).strict(),
  },
  /**
   * Whether this device's sends are on hold because the team backend's mailbox lease cannot be had
   * (lib/background/sends-on-hold.ts): since when, why, and how many emails are due meanwhile.
   */
  'sends.hold': {
    request: z.object({}).strict(),
    response: z
      .object({
        hold: z
          .object({
            since: z.number(),
            reason: z.enum(['unreachable', 'signed_out', 'refused']),
            url: z.string(),
            status: z.number().int().optional(),
            due: SectionCount,
          })
          .strict()
          .optional(),
      })
      .strict(),
  },
  /** Opens a section of the options page in a new tab (a mail page may not open an extension page itself). */
  'options.open': {
    request: z.object({ section: z.enum(['backend', 'diagnostics']) }).strict(),
    response: z.object({ ok: z.literal(true) }).strict(),
  },
  /**
   * A new message in Outlook on the web, filled in: the background opens Outlook's compose deeplink in a tab
   * (no popup blocker, a real answer), on the Outlook the sender is on, or, from the side panel, the one the
   * rep was last on (`opened: false` when none is known). It builds the address itself from these fields, so
   * no page can make it open any other URL.
   */
  'compose.outlook': {
    request: z
      .object({
        to: z.array(Email).min(1).max(20),
        subject: z.string().max(998),
        body: z.string().max(100_000),
      })
      .strict(),
    response: z.object({ opened: z.boolean() }).strict(),
  },
} as const;
