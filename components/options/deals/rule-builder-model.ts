import { z } from 'zod';
import { IsoDate } from '@/lib/domain/common';
import { MoneySchema } from '@/lib/domain/deal';
import { fieldMenuWords, opMenuWords } from '@/lib/process/condition-words';
import {
  ActivityKind,
  DealField,
  isConditionGroup,
  type Condition,
  type ConditionGroup,
  type ConditionOp,
  type ConditionValue,
  type FactDefinition,
} from '@/lib/domain/playbook';

/**
 * The visual rule builder's vocabulary, generated from the condition kinds lib/process/conditions.ts evaluates:
 * every subject a condition can read, the operators that can hold for its type (an operator the evaluator
 * would never find true for that type is not offered), and the value each operator takes. Pure.
 */

/** What a fact or a deal field holds, as the evaluator reads it. */
export type ValueType =
  | 'yes_no'
  | 'number'
  | 'money'
  | 'date'
  | 'text'
  | 'choice'
  | 'contact'
  /** An instant (created, last update, entered this stage): only "days ago" comparisons hold. */
  | 'instant'
  /** The deal's name: always set. */
  | 'name';

/** The subject of a condition row: a fact, a deal field, or one of the cross-object conditions. */
export type SubjectKey =
  | `fact:${string}`
  | `field:${DealField}`
  | 'role'
  | 'activity'
  | 'no_active_sequence'
  | 'no_open_task'
  | 'stage';

export interface SubjectOption {
  key: SubjectKey;
  label: string;
  group: 'Facts' | 'Deal' | 'People' | 'Activity' | 'Stage';
}

const FIELD_TYPES: Record<DealField, ValueType> = {
  amount: 'money',
  close_date: 'date',
  name: 'name',
  company_domain: 'text',
  created_at: 'instant',
  updated_at: 'instant',
  stage_entered_at: 'instant',
};

export const ACTIVITY_LABELS: Record<ActivityKind, string> = {
  email: 'email',
  reply: 'reply',
  task: 'task',
  meeting: 'meeting',
};

export function subjectsOf(facts: readonly FactDefinition[]): SubjectOption[] {
  return [
    ...facts.map((f) => ({ key: `fact:${f.key}` as const, label: f.label, group: 'Facts' as const })),
    ...DealField.options.map((f) => ({
      key: `field:${f}` as const,
      label: fieldMenuWords(f),
      group: 'Deal' as const,
    })),
    { key: 'role', label: 'Contacts by role', group: 'People' },
    { key: 'activity', label: 'Activity recency', group: 'Activity' },
    { key: 'no_active_sequence', label: 'No active sequence', group: 'Activity' },
    { key: 'no_open_task', label: 'No open task', group: 'Activity' },
    { key: 'stage', label: 'Stage', group: 'Stage' },
  ];
}

export function subjectOf(c: Condition): SubjectKey {
  switch (c.type) {
    case 'fact':
      return `fact:${c.key}`;
    case 'field':
      return `field:${c.field}`;
    case 'contact_with_role':
    case 'no_contact_with_role':
      return 'role';
    case 'no_activity':
      return 'activity';
    case 'no_active_sequence':
      return 'no_active_sequence';
    case 'no_open_task':
      return 'no_open_task';
    case 'stage_is':
      return 'stage';
  }
}

/** The type of a fact or field condition's subject (undefined for a fact the playbook does not define). */
export function valueTypeOf(c: Condition, facts: readonly FactDefinition[]): ValueType | undefined {
  if (c.type === 'field') return FIELD_TYPES[c.field];
  if (c.type === 'fact') return facts.find((f) => f.key === c.key)?.type;
  return undefined;
}

const COMPARE: ConditionOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'];
const EMPTINESS: ConditionOp[] = ['empty', 'not_empty'];
const DAYS: ConditionOp[] = ['more_than_days_ago', 'less_than_days_ago'];

/** The operators that can hold for a subject of this type (lib/process/conditions.ts `compare`). */
export function opsFor(type: ValueType): ConditionOp[] {
  switch (type) {
    case 'yes_no':
      return ['is_yes', 'is_no', ...EMPTINESS];
    case 'number':
    case 'money':
      return [...COMPARE, ...EMPTINESS];
    case 'date':
      return [...DAYS, 'lt', 'lte', 'gt', 'gte', 'eq', 'neq', ...EMPTINESS];
    case 'text':
      return ['eq', 'neq', 'contains', 'in', 'not_in', ...EMPTINESS];
    case 'name':
      return ['eq', 'neq', 'contains', 'in', 'not_in'];
    case 'choice':
      return ['in', 'not_in', 'eq', 'neq', ...EMPTINESS];
    case 'contact':
      return EMPTINESS;
    case 'instant':
      return DAYS;
  }
}

/** The operator as the builder's menu offers it for a subject of this type (words: lib/process/condition-words). */
export const opLabel = (op: ConditionOp, type: ValueType | undefined): string =>
  opMenuWords(op, type === 'date');

/** The input a value takes. */
export type ValueInput =
  'none' | 'number' | 'money' | 'date' | 'text' | 'list' | 'choice' | 'choices' | 'days';

export function valueInputOf(type: ValueType | undefined, op: ConditionOp): ValueInput {
  if (op === 'empty' || op === 'not_empty' || op === 'is_yes' || op === 'is_no') return 'none';
  if (op === 'more_than_days_ago' || op === 'less_than_days_ago') return 'days';
  if (type === 'choice') return op === 'in' || op === 'not_in' ? 'choices' : 'choice';
  if (op === 'in' || op === 'not_in') return 'list';
  if (type === 'number') return 'number';
  if (type === 'money') return 'money';
  if (type === 'date') return 'date';
  return 'text';
}

const VALUE_SCHEMAS: Record<Exclude<ValueInput, 'none'>, z.ZodType> = {
  number: z.number({ message: 'a number is needed' }).finite(),
  money: MoneySchema,
  date: IsoDate,
  text: z.string().trim().min(1, { message: 'a text is needed' }).max(500),
  choice: z.string().min(1, { message: 'pick a choice' }),
  list: z.array(z.string().trim().min(1)).min(1, { message: 'give at least one value' }).max(50),
  choices: z.array(z.string()).min(1, { message: 'pick at least one choice' }).max(50),
  days: z.number({ message: 'a number of days is needed' }).int('a whole number of days').min(0).max(3650),
};

/** The default value a fresh operator starts with (so a new row is valid where it can be). */
export function defaultValue(
  input: ValueInput,
  def: FactDefinition | undefined,
  previous: ConditionValue | undefined,
): ConditionValue | undefined {
  switch (input) {
    case 'none':
      return undefined;
    case 'days':
      return typeof previous === 'number' ? previous : 14;
    case 'number':
      return typeof previous === 'number' ? previous : 0;
    case 'money':
      return typeof previous === 'object' && previous !== null && !Array.isArray(previous)
        ? previous
        : { value: 0, currency: 'EUR' };
    case 'date':
      return typeof previous === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(previous) ? previous : '';
    case 'choice':
      return def?.choices?.[0] ?? '';
    case 'choices':
    case 'list':
      return Array.isArray(previous) ? previous : (def?.choices?.slice(0, 1) ?? []);
    case 'text':
      return typeof previous === 'string' ? previous : '';
  }
}

/** A fresh condition for a subject (its first operator and default value). */
export function conditionFor(
  subject: SubjectKey,
  facts: readonly FactDefinition[],
  stageIds: readonly string[],
): Condition {
  if (subject === 'role') return { type: 'no_contact_with_role', role: 'decision_maker' };
  if (subject === 'activity') return { type: 'no_activity', kinds: [...ActivityKind.options], days: 14 };
  if (subject === 'no_active_sequence') return { type: 'no_active_sequence' };
  if (subject === 'no_open_task') return { type: 'no_open_task' };
  if (subject === 'stage') return { type: 'stage_is', stageIds: stageIds.slice(0, 1) };
  const base: Condition = subject.startsWith('fact:')
    ? { type: 'fact', key: subject.slice(5), op: 'empty' }
    : { type: 'field', field: subject.slice(6) as DealField, op: 'empty' };
  const type = valueTypeOf(base, facts);
  return type ? withOp(base, opsFor(type)[0]!, facts) : base;
}

/** The condition with another operator; the value kept when it still fits, else a default. */
export function withOp(c: Condition, op: ConditionOp, facts: readonly FactDefinition[]): Condition {
  if (c.type !== 'fact' && c.type !== 'field') return c;
  const type = valueTypeOf(c, facts);
  const before = 'op' in c ? valueInputOf(type, c.op) : 'none';
  const input = valueInputOf(type, op);
  const def = c.type === 'fact' ? facts.find((f) => f.key === c.key) : undefined;
  const value = defaultValue(input, def, before === input ? c.value : undefined);
  const { value: _drop, ...rest } = c;
  void _drop;
  return value === undefined ? { ...rest, op } : { ...rest, op, value };
}

/** What is wrong with a fact or field condition's value for its type and operator, in words. */
export function valueProblem(c: Condition, facts: readonly FactDefinition[]): string | undefined {
  if (c.type !== 'fact' && c.type !== 'field') return undefined;
  const type = valueTypeOf(c, facts);
  if (!type) return undefined;
  const input = valueInputOf(type, c.op);
  if (input === 'none') return undefined;
  const parsed = VALUE_SCHEMAS[input].safeParse(c.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')} ` : '';
    return `${where}${issue.message}`;
  }
  if (input === 'choice' || input === 'choices') {
    const def = facts.find((f) => c.type === 'fact' && f.key === c.key);
    const values = Array.isArray(c.value) ? c.value : [c.value];
    const unknown = values.find((v) => typeof v === 'string' && !def?.choices?.includes(v));
    if (unknown !== undefined) return `"${unknown}" is not one of the fact's choices`;
  }
  return undefined;
}

/** Where a condition sits in its rule: indexes down the nested groups ("0.2.1"). */
export const pathKey = (path: readonly number[]): string => path.join('.');

/** Every value problem in a group, by the condition's path. */
export function groupProblems(
  g: ConditionGroup,
  facts: readonly FactDefinition[],
  path: number[] = [],
  out = new Map<string, string>(),
): Map<string, string> {
  // Hand-written JSON may be no group at all: the schema names that, there is no value to check.
  if (!Array.isArray(g?.conditions)) return out;
  g.conditions.forEach((c, i) => {
    if (typeof c !== 'object' || c === null) return;
    if (isConditionGroup(c)) return groupProblems(c, facts, [...path, i], out);
    const problem = valueProblem(c, facts);
    if (problem) out.set(pathKey([...path, i]), problem);
  });
  return out;
}

/** The zod issue path (under the group) of the condition at `path`. */
export const zodPathOf = (path: readonly number[]): (string | number)[] =>
  path.flatMap((i) => ['conditions', i]);

/** A stage the builder offers ("Stage is one of"). */
export interface StageChoice {
  id: string;
  name: string;
}

/** A condition's or group's number as the rep reads it ("2.1"). */
export const numberOf = (path: readonly number[]): string => path.map((i) => i + 1).join('.');
