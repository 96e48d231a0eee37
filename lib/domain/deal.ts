import { z } from 'zod';
import { EpochMs, Id, IsoDate } from './common';

/** Who a contact is on a deal, in the spirit of MEDDICC. */
export const DealRole = z.enum(['champion', 'decision_maker', 'economic_buyer', 'user', 'other']);
export type DealRole = z.infer<typeof DealRole>;

/** ISO 4217 code, upper case ("EUR"). Amounts in different currencies are never compared with each other. */
export const Currency = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, { message: 'must be a three-letter currency code (e.g. "EUR")' });

export const MoneySchema = z
  .object({ value: z.number().finite().nonnegative(), currency: Currency })
  .strict();
export type Money = z.infer<typeof MoneySchema>;

/** The types a playbook's facts can have (one source: lib/domain/playbook.ts's FactDefinition uses it). */
export const FactType = z.enum(['yes_no', 'number', 'money', 'date', 'text', 'choice', 'contact']);
export type FactType = z.infer<typeof FactType>;

/** An answered fact, tagged with its type so a value is never read as the wrong one. */
export const FactValueSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('yes_no'), value: z.boolean() }).strict(),
  z.object({ type: z.literal('number'), value: z.number().finite() }).strict(),
  z.object({ type: z.literal('money'), value: MoneySchema }).strict(),
  z.object({ type: z.literal('date'), value: IsoDate }).strict(),
  z.object({ type: z.literal('text'), value: z.string().max(5000) }).strict(),
  z.object({ type: z.literal('choice'), value: z.string().max(200) }).strict(),
  /** The id of a contact (lib/domain/contact.ts). */
  z.object({ type: z.literal('contact'), value: Id }).strict(),
]);
export type FactValue = z.infer<typeof FactValueSchema>;

export const FactKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,59}$/, { message: 'must be lower-case letters, digits and "_" (e.g. "pain")' });

export const DealStatus = z.enum(['open', 'won', 'lost']);
export type DealStatus = z.infer<typeof DealStatus>;

export const DealContactSchema = z.object({ contactId: Id, role: DealRole }).strict();
export type DealContact = z.infer<typeof DealContactSchema>;

export const DealSchema = z
  .object({
    id: Id,
    name: z.string().trim().min(1, { message: 'a deal needs a name' }).max(200),
    /** The company's mail domain: a thread whose participants are at it belongs to the deal. */
    companyDomain: z.string().trim().toLowerCase().max(253).optional(),
    /** The rep who owns the deal (their mailbox address, as Sequence.ownerId). */
    ownerId: Id,
    /** A playbook governs one pipeline; the stage ids are that playbook's. */
    pipelineId: Id,
    stageId: Id,
    /** When the deal entered its current stage (time in stage, "in Proposal for more than N days"). */
    stageEnteredAt: EpochMs,
    amount: MoneySchema.optional(),
    closeDate: IsoDate.optional(),
    contacts: z.array(DealContactSchema).max(100).default([]),
    /** The playbook's facts, keyed by FactDefinition.key. */
    facts: z.record(FactKey, FactValueSchema).default({}),
    /** Threads linked by hand (besides those matched by company domain). */
    threadIds: z.array(z.string().min(1).max(500)).max(500).default([]),
    status: DealStatus.default('open'),
    createdAt: EpochMs,
    updatedAt: EpochMs,
    closedAt: EpochMs.optional(),
    /** The CRM deal it mirrors (set by the backend); `removedAt`: the CRM no longer has it (deleted there). */
    crm: z
      .object({
        provider: z.literal('hubspot'),
        id: z.string().min(1).max(100),
        removedAt: EpochMs.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Deal = z.infer<typeof DealSchema>;
export type DealInput = z.input<typeof DealSchema>;

/** What an automation run did (lib/process/automations.ts plans it; lib/background/deals.ts does it). */
export const AutomationOutcome = z.enum([
  'enrolled',
  'task_created',
  'fix_it_queued',
  'refused',
  'turned_off',
]);
export type AutomationOutcome = z.infer<typeof AutomationOutcome>;

const eventBase = { id: Id, dealId: Id, at: EpochMs, by: z.string().min(1).max(320) };
const dealEvent = <K extends string, D extends z.ZodType>(kind: K, data: D) =>
  z.object({ ...eventBase, kind: z.literal(kind), data }).strict();

/**
 * The history of a deal, one row per happening. `by` is the rep (mailbox) who did it, or "automation".
 * Process analytics (lib/process/analytics.ts and the server's SQL) read stage_changed, criteria_skipped and
 * override rows; their `data` fields are part of that contract.
 */
export const DealEventSchema = z.discriminatedUnion('kind', [
  dealEvent(
    'created',
    z
      .object({
        stageId: Id,
        threadId: z.string().max(500).optional(),
        /** The subject of the thread the deal was made from (a new message about the deal is "Re:" it). */
        subject: z.string().max(2000).optional(),
      })
      .strict(),
  ),
  dealEvent('stage_changed', z.object({ fromStageId: Id, toStageId: Id }).strict()),
  /** value absent: the answer was cleared. */
  dealEvent('fact_answered', z.object({ factKey: FactKey, value: FactValueSchema.optional() }).strict()),
  /** A warn-gate move that left these exit criteria of `stageId` unmet. */
  dealEvent(
    'criteria_skipped',
    z.object({ stageId: Id, toStageId: Id, criterionIds: z.array(Id).min(1) }).strict(),
  ),
  /** A manager moved the deal past a require-gate, with a reason. */
  dealEvent(
    'override',
    z
      .object({
        stageId: Id,
        toStageId: Id,
        criterionIds: z.array(Id).min(1),
        reason: z.string().trim().min(1, { message: 'an override needs a reason' }).max(1000),
      })
      .strict(),
  ),
  dealEvent(
    'automation_ran',
    z
      .object({
        automationId: Id,
        trigger: z.enum(['enter', 'flag']),
        ruleId: Id.optional(),
        outcome: AutomationOutcome,
        /** What it did or why not, in words ("enrolled ada@acme.example in Demo follow-up"). */
        detail: z.string().max(1000),
        contactId: Id.optional(),
        sequenceId: Id.optional(),
        taskId: Id.optional(),
      })
      .strict(),
  ),
  dealEvent('contact_linked', DealContactSchema),
  dealEvent('thread_linked', z.object({ threadId: z.string().min(1).max(500) }).strict()),
  dealEvent(
    'next_step_done',
    z.object({ action: z.string().max(50), detail: z.string().max(1000) }).strict(),
  ),
]);
export type DealEvent = z.infer<typeof DealEventSchema>;
export type DealEventKind = DealEvent['kind'];
export type DealEventOf<K extends DealEventKind> = Extract<DealEvent, { kind: K }>;

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/**
 * Flag history: one row per time a rule flagged a deal, closed when it stops holding. Compliance is read from
 * these rows (a deal-day with an open error flag is not compliant). id: `${dealId}:${ruleId}:${raisedAt}`.
 */
export const DealFlagSchema = z
  .object({
    id: Id,
    dealId: Id,
    ownerId: Id,
    ruleId: Id,
    severity: Severity,
    raisedAt: EpochMs,
    clearedAt: EpochMs.optional(),
    /** The conditions that made it true when raised, in words. */
    because: z.array(z.string().max(500)).max(50).default([]),
  })
  .strict();
export type DealFlag = z.infer<typeof DealFlagSchema>;

export const dealFlagId = (dealId: string, ruleId: string, raisedAt: number): string =>
  `${dealId}:${ruleId}:${raisedAt}`;
