import { z } from 'zod';
import { Email, Id } from '../domain/common';
import { DealRole, DealSchema, FactValueSchema, Severity } from '../domain/deal';
import { FactDefinitionSchema, Gate, StageKind, StageSchema } from '../domain/playbook';

/**
 * The behavior layer in the flow of work (lib/background/deals.ts): the thread panel's deal card and the
 * queue's fix-it items. The mail page may send these (they act on the rep's own deals only).
 */

const Person = z.object({ email: Email, name: z.string().max(200).optional() }).strict();
const ThreadRef = z
  .object({
    /** The host's key for the opened thread (explicit links are kept by it). */
    threadId: z.string().min(1).max(1000),
    subject: z.string().max(2000).default(''),
    participants: z.array(Person).max(100),
  })
  .strict();

export const FlagView = z
  .object({
    ruleId: Id,
    ruleName: z.string(),
    severity: Severity,
    message: z.string(),
    because: z.array(z.string()),
  })
  .strict();
export type FlagView = z.infer<typeof FlagView>;

export const NextStepView = z
  .object({
    kind: z.enum(['fix', 'criterion', 'action', 'move', 'none']),
    label: z.string(),
    /** fix/action: what the button does. */
    actionType: z.enum(['enroll', 'task', 'meeting', 'recap', 'answer']).optional(),
    /** criterion/answer: the fact whose field the button opens. */
    factKey: z.string().optional(),
    toStageId: Id.optional(),
    /** fix: the rule it answers. */
    ruleId: Id.optional(),
  })
  .strict();
export type NextStepView = z.infer<typeof NextStepView>;

export const DealView = z
  .object({
    deal: DealSchema,
    pipeline: z
      .object({
        name: z.string(),
        gate: Gate,
        stages: z.array(z.object({ id: Id, name: z.string(), kind: StageKind }).strict()),
      })
      .strict(),
    stage: StageSchema,
    facts: z.array(FactDefinitionSchema),
    health: z.enum(['red', 'amber', 'green']),
    flags: z.array(FlagView),
    nextStep: NextStepView,
    checklist: z.array(
      z.object({ id: Id, label: z.string(), met: z.boolean(), factKey: z.string().optional() }).strict(),
    ),
    contacts: z.array(
      z.object({ contactId: Id, email: Email, name: z.string().optional(), role: DealRole }).strict(),
    ),
  })
  .strict();
export type DealView = z.infer<typeof DealView>;

export const FixItView = z
  .object({
    dealId: Id,
    dealName: z.string(),
    severity: Severity,
    message: z.string(),
    because: z.array(z.string()),
    nextStep: z.string(),
    raisedAt: z.number(),
  })
  .strict();
export type FixItView = z.infer<typeof FixItView>;

const DealRef = z.object({ dealId: Id }).strict();

export const DEALS_MESSAGES = {
  /** The thread's deal (explicit link first, else its participants' company domain), or what a new one would be. */
  'deal.forThread': {
    request: ThreadRef,
    response: z
      .object({
        view: DealView.optional(),
        /** No deal: what "Create a deal" would make (company and people outside the rep's domain). */
        suggestion: z
          .object({ name: z.string(), companyDomain: z.string().optional(), people: z.array(Person) })
          .strict()
          .optional(),
      })
      .strict(),
  },
  /** One click: a deal for the thread's company with the people outside the rep's domain, linked to the thread. */
  'deal.create': { request: ThreadRef, response: DealView },
  'deal.answer': {
    request: z
      .object({ dealId: Id, factKey: z.string().max(60), value: FactValueSchema.nullable() })
      .strict(),
    response: DealView,
  },
  'deal.setRole': {
    request: z.object({ dealId: Id, contactId: Id, role: DealRole }).strict(),
    response: DealView,
  },
  /** Move with the exit-criteria check; refused moves come back with `moved: false` and the reason. */
  'deal.move': {
    request: z
      .object({
        dealId: Id,
        toStageId: Id,
        /** A manager past a require gate. */
        override: z
          .object({ reason: z.string().max(1000) })
          .strict()
          .optional(),
      })
      .strict(),
    response: z
      .object({
        moved: z.boolean(),
        outcome: z.enum(['clean', 'skipped', 'override', 'back', 'lost']).optional(),
        message: z.string().optional(),
        unmet: z.array(z.string()),
        view: DealView,
      })
      .strict(),
  },
  /** Does the next step: enrolls (through the engine), creates the task, or gives the reply text to open. */
  'deal.runNextStep': {
    request: DealRef,
    response: z
      .object({
        done: z.string(),
        /**
         * meeting/recap: the reply to open on the thread, rendered for the deal's first contact, and the
         * subject of the thread the deal was made from (where no thread is open, the new message is "Re:" it).
         */
        reply: z.object({ body: z.string(), threadSubject: z.string().optional() }).strict().optional(),
        view: DealView,
      })
      .strict(),
  },
  /** The queue's fix-it items: one per flagged deal of the rep, most severe first. */
  'deals.fixits': {
    request: z.object({}).strict(),
    response: z.object({ items: z.array(FixItView) }).strict(),
  },
} as const;
