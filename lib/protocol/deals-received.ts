import * as z from 'zod/mini';
import type { Runtime } from './endpoints';
import { Reply } from './inbox-received';
import type { RequestOf } from './messages';

/**
 * What the deal card (a content script) receives for the deals messages, checked on receipt with zod/mini as
 * inbox-received.ts does: the parts of the background's DealView (lib/protocol/deals.ts) the card reads, so
 * the mail page carries neither zod's classic API nor the playbook's whole rule language.
 */
const Id = z.string().check(z.minLength(1), z.maxLength(200));
const Severity = z.enum(['error', 'warning', 'info']);
const Role = z.enum(['champion', 'decision_maker', 'economic_buyer', 'user', 'other']);
const FactValue = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('yes_no'), value: z.boolean() }),
  z.strictObject({ type: z.literal('number'), value: z.number() }),
  z.strictObject({
    type: z.literal('money'),
    value: z.strictObject({ value: z.number(), currency: z.string() }),
  }),
  z.strictObject({ type: z.literal('date'), value: z.string() }),
  z.strictObject({ type: z.literal('text'), value: z.string() }),
  z.strictObject({ type: z.literal('choice'), value: z.string() }),
  z.strictObject({ type: z.literal('contact'), value: Id }),
]);
export type FactValueIn = z.infer<typeof FactValue>;
const FactDef = z.looseObject({
  key: z.string(),
  label: z.string(),
  type: z.enum(['yes_no', 'number', 'money', 'date', 'text', 'choice', 'contact']),
  choices: z.optional(z.array(z.string())),
});
export type FactDefIn = z.infer<typeof FactDef>;

export const DealCardView = z.looseObject({
  deal: z.looseObject({
    id: Id,
    name: z.string(),
    stageId: Id,
    updatedAt: z.number(),
    facts: z.record(z.string(), FactValue),
    /** The HubSpot deal it mirrors; `removedAt`: deleted in HubSpot (the card says so). */
    crm: z.optional(z.looseObject({ id: z.string(), removedAt: z.optional(z.number()) })),
  }),
  pipeline: z.strictObject({
    name: z.string(),
    gate: z.enum(['warn', 'require']),
    stages: z.array(z.strictObject({ id: Id, name: z.string(), kind: z.enum(['open', 'won', 'lost']) })),
  }),
  stage: z.looseObject({
    id: Id,
    name: z.string(),
    goal: z.string(),
    cards: z.array(
      z.looseObject({
        id: Id,
        title: z.string(),
        markdown: z.string(),
        questions: z.array(z.strictObject({ factKey: z.string(), prompt: z.string() })),
      }),
    ),
  }),
  facts: z.array(FactDef),
  health: z.enum(['red', 'amber', 'green']),
  flags: z.array(
    z.strictObject({
      ruleId: Id,
      ruleName: z.string(),
      severity: Severity,
      message: z.string(),
      because: z.array(z.string()),
    }),
  ),
  nextStep: z.strictObject({
    kind: z.enum(['fix', 'criterion', 'action', 'move', 'none']),
    label: z.string(),
    actionType: z.optional(z.enum(['enroll', 'task', 'meeting', 'recap', 'answer'])),
    factKey: z.optional(z.string()),
    toStageId: z.optional(Id),
    ruleId: z.optional(Id),
  }),
  checklist: z.array(
    z.strictObject({ id: Id, label: z.string(), met: z.boolean(), factKey: z.optional(z.string()) }),
  ),
  contacts: z.array(
    z.strictObject({ contactId: Id, email: z.string(), name: z.optional(z.string()), role: Role }),
  ),
});
export type DealCardView = z.infer<typeof DealCardView>;

const Person = z.strictObject({ email: z.string(), name: z.optional(z.string()) });
export const DEALS_RECEIVED = {
  'deal.forThread': z.strictObject({
    view: z.optional(DealCardView),
    suggestion: z.optional(
      z.strictObject({ name: z.string(), companyDomain: z.optional(z.string()), people: z.array(Person) }),
    ),
  }),
  'deal.create': DealCardView,
  'deal.answer': DealCardView,
  'deal.setRole': DealCardView,
  'deal.move': z.strictObject({
    moved: z.boolean(),
    outcome: z.optional(z.enum(['clean', 'skipped', 'override', 'back', 'lost'])),
    message: z.optional(z.string()),
    unmet: z.array(z.string()),
    view: DealCardView,
  }),
  'deal.runNextStep': z.strictObject({
    done: z.string(),
    reply: z.optional(z.strictObject({ body: z.string(), threadSubject: z.optional(z.string()) })),
    view: DealCardView,
  }),
  'deals.fixits': z.strictObject({
    items: z.array(
      z.strictObject({
        dealId: Id,
        dealName: z.string(),
        severity: Severity,
        message: z.string(),
        because: z.array(z.string()),
        nextStep: z.string(),
        raisedAt: z.number(),
      }),
    ),
  }),
};
export type DealMessage = keyof typeof DEALS_RECEIVED;
export type DealAnswer<N extends DealMessage> = z.infer<(typeof DEALS_RECEIVED)[N]>;

/** Asks the background a deals message and checks its answer on receipt. */
export async function askDeal<N extends DealMessage>(
  runtime: Runtime,
  name: N,
  request: RequestOf<N>,
): Promise<DealAnswer<N>> {
  const reply = z.safeParse(Reply, await runtime.sendMessage({ threadline: 1, name, request }));
  if (!reply.success) throw new Error(`${name}: the background answered something unexpected`);
  if (!reply.data.ok) throw new Error(reply.data.error);
  const data = z.safeParse(DEALS_RECEIVED[name], reply.data.data);
  if (!data.success)
    throw new Error(
      `${name}: bad answer: ${data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return data.data as DealAnswer<N>;
}
