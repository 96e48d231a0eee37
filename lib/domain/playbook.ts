import { z } from 'zod';
import { Id } from './common';
import { DealRole, FactKey, FactType, MoneySchema, Severity } from './deal';

/** A fact the playbook asks for on every deal of its pipeline (the checklist's answer fields are typed by it). */
export const FactDefinitionSchema = z
  .object({
    key: FactKey,
    label: z.string().trim().min(1).max(200),
    type: FactType,
    /** The allowed answers of a `choice` fact. */
    choices: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
    help: z.string().max(1000).optional(),
  })
  .strict()
  .refine((f) => f.type !== 'choice' || (f.choices?.length ?? 0) > 0, {
    message: 'a choice fact needs its choices',
    path: ['choices'],
  });
export type FactDefinition = z.infer<typeof FactDefinitionSchema>;

// ---- Conditions -------------------------------------------------------------------------------------------

/**
 * Comparisons on a fact or a deal field. Dates compare as "YYYY-MM-DD"; `more_than_days_ago`/`less_than_days_ago`
 * take a number of days and read a date fact, a date field or an instant field against `now`; money compares
 * only within one currency.
 */
export const ConditionOp = z.enum([
  'empty',
  'not_empty',
  'is_yes',
  'is_no',
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'in',
  'not_in',
  'more_than_days_ago',
  'less_than_days_ago',
]);
export type ConditionOp = z.infer<typeof ConditionOp>;

export const ConditionValue = z.union([
  z.number().finite(),
  z.string().max(500),
  z.boolean(),
  z.array(z.string().max(200)).max(50),
  MoneySchema,
]);
export type ConditionValue = z.infer<typeof ConditionValue>;

/** The deal's own fields a rule can read (besides its facts). */
export const DealField = z.enum([
  'amount',
  'close_date',
  'name',
  'company_domain',
  'created_at',
  'updated_at',
  'stage_entered_at',
]);
export type DealField = z.infer<typeof DealField>;

export const ActivityKind = z.enum(['email', 'reply', 'task', 'meeting']);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const ConditionSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('fact'), key: FactKey, op: ConditionOp, value: ConditionValue.optional() })
    .strict(),
  z
    .object({ type: z.literal('field'), field: DealField, op: ConditionOp, value: ConditionValue.optional() })
    .strict(),
  /** No contact on the deal holds this role. */
  z.object({ type: z.literal('no_contact_with_role'), role: DealRole }).strict(),
  /** Some contact on the deal holds this role (an exit criterion: "the economic buyer is known"). */
  z.object({ type: z.literal('contact_with_role'), role: DealRole }).strict(),
  /** None of these activities with the deal's contacts in the last `days` days. */
  z
    .object({
      type: z.literal('no_activity'),
      kinds: z.array(ActivityKind).min(1),
      days: z.number().int().min(1).max(3650),
    })
    .strict(),
  /** None of the deal's contacts is active (or paused) in a sequence. */
  z.object({ type: z.literal('no_active_sequence') }).strict(),
  /** No open task for the deal or its contacts. */
  z.object({ type: z.literal('no_open_task') }).strict(),
  z.object({ type: z.literal('stage_is'), stageIds: z.array(Id).min(1) }).strict(),
]);
export type Condition = z.infer<typeof ConditionSchema>;

export interface ConditionGroup {
  op: 'and' | 'or';
  conditions: (Condition | ConditionGroup)[];
}
export const ConditionGroupSchema: z.ZodType<ConditionGroup> = z
  .object({
    op: z.enum(['and', 'or']),
    get conditions() {
      return z
        .array(z.union([ConditionSchema, ConditionGroupSchema]))
        .min(1)
        .max(50);
    },
  })
  .strict();

export const isConditionGroup = (c: Condition | ConditionGroup): c is ConditionGroup => 'conditions' in c;

// ---- Actions, cards, automations ---------------------------------------------------------------------------

const actionBase = { id: Id, label: z.string().trim().min(1).max(200) };

/** What a stage recommends and a rule's remedy does; the Next step button runs one of these. */
export const RecommendedActionSchema = z.discriminatedUnion('type', [
  /** Enroll the contact holding `role` in a sequence (through the engine's guards). */
  z.object({ ...actionBase, type: z.literal('enroll'), role: DealRole, sequenceId: Id }).strict(),
  z
    .object({
      ...actionBase,
      type: z.literal('task'),
      taskType: z.enum(['call', 'todo']),
      title: z.string().trim().min(1).max(300),
      dueInDays: z.number().int().min(0).max(90).default(1),
    })
    .strict(),
  /** Open a reply on the thread proposing a meeting (template text with {{tokens}}). */
  z.object({ ...actionBase, type: z.literal('meeting'), body: z.string().max(20_000) }).strict(),
  /** Open a reply on the thread with the recap template. */
  z.object({ ...actionBase, type: z.literal('recap'), body: z.string().max(20_000) }).strict(),
  /** Ask for a fact and record it (the checklist field opens). */
  z.object({ ...actionBase, type: z.literal('answer'), factKey: FactKey }).strict(),
]);
export type RecommendedAction = z.infer<typeof RecommendedActionSchema>;
export type RecommendedActionInput = z.input<typeof RecommendedActionSchema>;

export const CardSchema = z
  .object({
    id: Id,
    title: z.string().trim().min(1).max(200),
    /** Guidance for the rep: questions to ask, talk tracks, objections, links. */
    markdown: z.string().max(20_000),
    /** Questions whose answers write the deal's facts. */
    questions: z
      .array(z.object({ factKey: FactKey, prompt: z.string().trim().min(1).max(500) }).strict())
      .max(30)
      .default([]),
  })
  .strict();
export type Card = z.infer<typeof CardSchema>;

export const AutomationTrigger = z.discriminatedUnion('on', [
  z.object({ on: z.literal('enter') }).strict(),
  z.object({ on: z.literal('flag'), ruleId: Id }).strict(),
]);
export type AutomationTrigger = z.infer<typeof AutomationTrigger>;

export const AutomationActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enroll'), role: DealRole, sequenceId: Id }).strict(),
  z
    .object({
      type: z.literal('task'),
      taskType: z.enum(['call', 'todo']),
      title: z.string().trim().min(1).max(300),
      dueInDays: z.number().int().min(0).max(90).default(1),
    })
    .strict(),
  /** Put the deal's fix-it item in the owner's queue. */
  z.object({ type: z.literal('fix_it') }).strict(),
]);
export type AutomationAction = z.infer<typeof AutomationActionSchema>;

/** A stage acting by itself; each rep can turn one off for their own deals (a set of ids kept per rep). */
export const AutomationSchema = z
  .object({
    id: Id,
    label: z.string().trim().min(1).max(200),
    trigger: AutomationTrigger,
    action: AutomationActionSchema,
    enabled: z.boolean().default(true),
  })
  .strict();
export type Automation = z.infer<typeof AutomationSchema>;

/** One exit criterion: a fact that must be answered (yes for a yes/no fact), or a condition that must hold. */
export const ExitCriterionSchema = z
  .object({
    id: Id,
    label: z.string().trim().min(1).max(300),
    factKey: FactKey.optional(),
    when: ConditionGroupSchema.optional(),
  })
  .strict()
  .refine((c) => c.factKey !== undefined || c.when !== undefined, {
    message: 'an exit criterion needs a fact or a condition',
  });
export type ExitCriterion = z.infer<typeof ExitCriterionSchema>;

export const StageKind = z.enum(['open', 'won', 'lost']);
export type StageKind = z.infer<typeof StageKind>;

export const StageSchema = z
  .object({
    id: Id,
    name: z.string().trim().min(1).max(100),
    goal: z.string().max(1000).default(''),
    kind: StageKind.default('open'),
    exitCriteria: z.array(ExitCriterionSchema).max(30).default([]),
    actions: z.array(RecommendedActionSchema).max(20).default([]),
    cards: z.array(CardSchema).max(20).default([]),
    automations: z.array(AutomationSchema).max(20).default([]),
  })
  .strict();
export type Stage = z.infer<typeof StageSchema>;

export const RuleSchema = z
  .object({
    id: Id,
    name: z.string().trim().min(1).max(200),
    severity: Severity,
    when: ConditionGroupSchema,
    /** What the rep reads ("No economic buyer identified"). */
    message: z.string().trim().min(1).max(500),
    remedy: RecommendedActionSchema.optional(),
    /** The stages where the rule applies; empty = every open stage. Rules never apply to closed deals. */
    stageIds: z.array(Id).default([]),
    enabled: z.boolean().default(true),
  })
  .strict();
export type Rule = z.infer<typeof RuleSchema>;

/** Moving past unmet exit criteria: warn = allowed and recorded as a skip; require = refused (manager override). */
export const Gate = z.enum(['warn', 'require']);
export type Gate = z.infer<typeof Gate>;

const PlaybookObject = z
  .object({
    id: Id,
    /** One playbook per pipeline; deals carry the pipeline id. */
    pipelineId: Id,
    name: z.string().trim().min(1).max(200),
    gate: Gate.default('warn'),
    facts: z.array(FactDefinitionSchema).max(100).default([]),
    /** In order; open stages first, then the closed (won/lost) ones. */
    stages: z.array(StageSchema).min(2, { message: 'a pipeline needs at least two stages' }).max(30),
    rules: z.array(RuleSchema).max(100).default([]),
    updatedAt: z.number().int().nonnegative().default(0),
  })
  .strict();
export const PlaybookSchema = PlaybookObject.superRefine(checkReferences);
export type Playbook = z.infer<typeof PlaybookSchema>;
export type PlaybookInput = z.input<typeof PlaybookSchema>;

type PlaybookShape = z.infer<typeof PlaybookObject>;

/** Every fact, stage and rule a playbook names must exist in it; errors name the path. */
function checkReferences(p: PlaybookShape, ctx: z.RefinementCtx): void {
  const facts = new Set(p.facts.map((f) => f.key));
  const stages = new Set(p.stages.map((s) => s.id));
  const rules = new Set(p.rules.map((r) => r.id));
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const duplicates = (ids: string[], path: string) =>
    ids.forEach((id, i) => ids.indexOf(id) !== i && issue([path, i], `duplicate id "${id}"`));
  duplicates(
    p.facts.map((f) => f.key),
    'facts',
  );
  duplicates(
    p.stages.map((s) => s.id),
    'stages',
  );
  duplicates(
    p.rules.map((r) => r.id),
    'rules',
  );

  const checkGroup = (g: ConditionGroup, path: (string | number)[]): void =>
    g.conditions.forEach((c, i) => {
      if (isConditionGroup(c)) return checkGroup(c, [...path, 'conditions', i]);
      if (c.type === 'fact' && !facts.has(c.key))
        issue([...path, 'conditions', i, 'key'], `no fact "${c.key}"`);
      if (c.type === 'stage_is')
        c.stageIds.forEach(
          (s, j) => stages.has(s) || issue([...path, 'conditions', i, 'stageIds', j], `no stage "${s}"`),
        );
    });
  const checkAction = (a: RecommendedAction, path: (string | number)[]) => {
    if (a.type === 'answer' && !facts.has(a.factKey)) issue([...path, 'factKey'], `no fact "${a.factKey}"`);
  };

  p.stages.forEach((s, si) => {
    s.exitCriteria.forEach((c, ci) => {
      const path = ['stages', si, 'exitCriteria', ci];
      if (c.factKey && !facts.has(c.factKey)) issue([...path, 'factKey'], `no fact "${c.factKey}"`);
      if (c.when) checkGroup(c.when, [...path, 'when']);
    });
    s.actions.forEach((a, ai) => checkAction(a, ['stages', si, 'actions', ai]));
    s.cards.forEach((card, ci) =>
      card.questions.forEach(
        (q, qi) =>
          facts.has(q.factKey) ||
          issue(['stages', si, 'cards', ci, 'questions', qi, 'factKey'], `no fact "${q.factKey}"`),
      ),
    );
    s.automations.forEach((a, ai) => {
      if (a.trigger.on === 'flag' && !rules.has(a.trigger.ruleId))
        issue(['stages', si, 'automations', ai, 'trigger', 'ruleId'], `no rule "${a.trigger.ruleId}"`);
    });
  });
  p.rules.forEach((r, ri) => {
    checkGroup(r.when, ['rules', ri, 'when']);
    if (r.remedy) checkAction(r.remedy, ['rules', ri, 'remedy']);
    r.stageIds.forEach((s, j) => stages.has(s) || issue(['rules', ri, 'stageIds', j], `no stage "${s}"`));
  });
  if (!p.stages.some((s) => s.kind === 'open')) issue(['stages'], 'a pipeline needs an open stage');
}
