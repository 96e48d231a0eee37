import * as z from 'zod/mini';
import { ATTENTION_KINDS, PAUSE_REASONS, UNENROLL_REASONS } from '../domain/enrollment-reasons';
import { STEP_TYPES, TASK_TYPES } from '../domain/step-types';
import type { ResponseOf } from './messages';

/**
 * What the inbox UI (content scripts, side panel) receives from the background, validated on receipt with
 * zod/mini: the same rules as the background's answers in inbox.ts and the domain schemas they use, without
 * zod's classic API, which would be most of a content script's weight. The type check at the end fails when a
 * domain or protocol schema changes shape and this copy does not; inbox-received.test.ts checks both accept
 * and refuse the same answers.
 */

const validZones = new Set<string>(Intl.supportedValuesOf('timeZone'));
// As lib/domain/common.ts: canonical names, and aliases Intl itself resolves (e.g. "UTC").
function isTimeZone(name: string): boolean {
  if (validZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const Id = z.string().check(z.minLength(1), z.maxLength(200));
const EpochMs = z.int().check(z.nonnegative());
const Email = z.pipe(
  z.string().check(z.trim(), z.toLowerCase()),
  z.email({ message: 'is not a valid email address' }),
);
const TimeZone = z
  .string()
  .check(z.refine(isTimeZone, { message: 'is not an IANA time zone (e.g. "Europe/London")' }));
const text = (max: number) => z.string().check(z.maxLength(max));
const trimmed = (max: number) => z.string().check(z.trim(), z.maxLength(max));
const Priority = z.enum(['low', 'medium', 'high']);

const Contact = z.strictObject({
  id: Id,
  email: Email,
  firstName: z.optional(trimmed(100)),
  lastName: z.optional(trimmed(100)),
  company: z.optional(trimmed(200)),
  domain: z.optional(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(253))),
  title: z.optional(trimmed(200)),
  phone: z.optional(trimmed(50)),
  linkedinUrl: z.optional(z.url({ message: 'is not a URL' })),
  timeZone: z.optional(TimeZone),
  custom: z._default(z.record(z.string().check(z.regex(/^[A-Za-z][\w-]*$/)), text(2000)), {}),
});

const Task = z.strictObject({
  id: Id,
  enrollmentId: Id,
  sequenceId: Id,
  contactId: Id,
  stepId: Id,
  stepIndex: z.int().check(z.nonnegative()),
  type: z.enum(TASK_TYPES),
  title: z.string(),
  notes: z._default(z.string(), ''),
  priority: Priority,
  createdAt: EpochMs,
  dueAt: EpochMs,
  blocking: z.boolean(),
  status: z.enum(['open', 'completed', 'skipped']),
  doneAt: z.optional(EpochMs),
  outcome: z.optional(text(200)),
  outcomeNotes: z.optional(text(10_000)),
});

const Delay = z.strictObject({
  value: z.int().check(z.gte(0), z.lte(365)),
  unit: z.enum(['business_days', 'days', 'hours', 'minutes']),
});
const stepBase = { id: Id, delay: Delay };
const taskBase = {
  ...stepBase,
  title: z._default(text(300), ''),
  notes: z._default(text(10_000), ''),
  priority: z._default(Priority, 'medium'),
};
const Step = z.discriminatedUnion('type', [
  z.strictObject({
    ...stepBase,
    type: z.literal('auto_email'),
    subject: z._default(text(500), ''),
    body: z._default(text(100_000), ''),
    threadWithPrevious: z._default(z.boolean(), true),
    variants: z._default(
      z
        .array(z.strictObject({ id: Id, subject: text(500), body: text(100_000) }))
        .check(z.maxLength(3, { message: 'an email step has at most 3 variants' })),
      [],
    ),
  }),
  z.strictObject({
    ...taskBase,
    type: z.literal('manual_email'),
    subject: z._default(text(500), ''),
    body: z._default(text(100_000), ''),
    threadWithPrevious: z._default(z.boolean(), true),
  }),
  z.strictObject({ ...taskBase, type: z.literal('call'), callScript: z._default(text(20_000), '') }),
  z.strictObject({
    ...taskBase,
    type: z.literal('linkedin'),
    action: z._default(z.enum(['connect', 'message', 'view_profile']), 'connect'),
    message: z._default(text(3000), ''),
  }),
  z.strictObject({ ...taskBase, type: z.literal('todo') }),
]);

const Rep = z.strictObject({
  email: Email,
  name: z.optional(text(200)),
  timeZone: TimeZone,
  signature: z.optional(text(10_000)),
});

const PauseReason = z.enum(PAUSE_REASONS);
const UnenrollReason = z.enum(UNENROLL_REASONS);
const AttentionKind = z.enum(ATTENTION_KINDS);
const inSequence = {
  enrollmentId: Id,
  sequenceName: z.string(),
  stepIndex: z.number(),
  stepCount: z.number(),
  stepType: z.enum(STEP_TYPES),
};
const ParticipantState = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('not_enrolled') }),
  z.strictObject({
    kind: z.literal('active'),
    ...inSequence,
    nextAt: z.optional(z.number()),
    waitingForTask: z.optional(z.boolean()),
  }),
  z.strictObject({
    kind: z.literal('paused'),
    ...inSequence,
    reason: PauseReason,
    until: z.optional(z.number()),
    detail: z.optional(z.string()),
    attention: z.optional(
      z.strictObject({
        kind: AttentionKind,
        detail: z.string(),
        providerMessageId: z.optional(z.string()),
        from: z.optional(z.string()),
        openUrl: z.optional(z.string()),
      }),
    ),
  }),
  z.strictObject({
    kind: z.literal('finished'),
    enrollmentId: Id,
    sequenceName: z.string(),
    endedAt: z.optional(z.number()),
  }),
  z.strictObject({
    kind: z.literal('unenrolled'),
    enrollmentId: Id,
    sequenceName: z.string(),
    reason: UnenrollReason,
    endedAt: z.optional(z.number()),
    detail: z.optional(z.string()),
    suppressed: z.optional(z.boolean()),
  }),
]);

const QueueItem = z.strictObject({
  task: Task,
  contact: Contact,
  sequenceName: z.string(),
  stepLabel: z.string(),
  callScript: z.optional(z.string()),
  linkedinUrl: z.optional(z.string()),
});
const SectionCount = z.int().check(z.gte(0));
const Ok = z.strictObject({ ok: z.literal(true) });

/** The answers the inbox UI asks for, by message name. */
export const RECEIVED = {
  'thread.state': z.strictObject({
    participants: z.array(
      z.strictObject({ email: Email, name: z.optional(text(200)), state: ParticipantState }),
    ),
  }),
  'thread.closed': Ok,
  'enroll.options': z.strictObject({
    sequences: z.array(
      z.strictObject({
        id: Id,
        name: z.string(),
        steps: z.array(Step),
        updatedAt: z.number(),
        lastUsedAt: z.optional(z.number()),
      }),
    ),
    contacts: z.array(Contact),
    rep: Rep,
  }),
  'enroll.submit': z.strictObject({
    enrolled: z.array(
      z.strictObject({
        email: z.string(),
        enrollmentId: z.string(),
        contactId: z.string(),
        firstDueAt: z.optional(z.number()),
      }),
    ),
    rejected: z.array(
      z.strictObject({
        index: z.number(),
        email: z.optional(z.string()),
        reason: z.string(),
        message: z.string(),
      }),
    ),
  }),
  'enrollment.act': Ok,
  'thread.fallback': Ok,
  'tasks.list': z.object({ tasks: z.array(QueueItem) }),
  'tasks.first': z.strictObject({
    tasks: z.array(QueueItem),
    counts: z.strictObject({ overdue: SectionCount, today: SectionCount, upcoming: SectionCount }),
  }),
  'tasks.act': Ok,
  'attention.list': z.strictObject({
    items: z.array(
      z.strictObject({
        enrollmentId: Id,
        contact: Contact,
        sequenceName: z.string(),
        stepNumber: z.int().check(z.gte(1)),
        kind: AttentionKind,
        detail: z.string(),
        from: z.optional(z.string()),
        pausedAt: z.optional(z.number()),
        missing: z.array(z.string()),
      }),
    ),
  }),
  'attention.fix': z.strictObject({ resumed: z.boolean() }),
  'sends.hold': z.strictObject({
    hold: z.optional(
      z.strictObject({
        since: z.number(),
        reason: z.enum(['unreachable', 'signed_out', 'refused']),
        url: z.string(),
        status: z.optional(z.int()),
        due: SectionCount,
      }),
    ),
  }),
  'options.open': Ok,
  'compose.outlook': z.strictObject({ opened: z.boolean() }),
  'diagnostics.record': Ok,
  'thread.people': z.strictObject({
    people: z.array(z.strictObject({ email: Email, name: z.optional(z.string().check(z.maxLength(200))) })),
  }),
};
export type InboxMessage = keyof typeof RECEIVED;

/** The background's reply envelope (messages.ts `Reply`). */
export const Reply = z.union([
  z.strictObject({ ok: z.literal(true), data: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.string() }),
]);

// Fails to compile when an answer here and the background's schema for it describe different types.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameShapes: { [N in InboxMessage]: Same<z.infer<(typeof RECEIVED)[N]>, ResponseOf<N>> } = {
  'thread.state': true,
  'thread.closed': true,
  'enroll.options': true,
  'enroll.submit': true,
  'enrollment.act': true,
  'thread.fallback': true,
  'tasks.list': true,
  'tasks.first': true,
  'tasks.act': true,
  'attention.list': true,
  'attention.fix': true,
  'sends.hold': true,
  'options.open': true,
  'compose.outlook': true,
  'diagnostics.record': true,
  'thread.people': true,
};
void sameShapes;
