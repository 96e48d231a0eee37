import type { DealRole } from '../domain/deal';
import type { ConditionOp, DealField } from '../domain/playbook';

/**
 * The words for each condition operator, deal field and contact role, listed once: the flags' explanations
 * (conditions.ts `describeCondition`, automations' history) and the visual rule builder's menus
 * (components/options/deals) read them from here. Each list is a Record over the domain's enum, so a new
 * operator, field or role does not compile until it is worded here.
 */
export interface Words {
  /** In a sentence about a deal, before the value ("Close date was more than" 14 days ago). */
  sentence: string;
  /** In the rule builder's menu, with no value beside it, where that reads otherwise. */
  menu?: string;
}

export const OP_WORDS: Record<ConditionOp, Words> = {
  empty: { sentence: 'is empty' },
  not_empty: { sentence: 'is set', menu: 'is not empty' },
  is_yes: { sentence: 'is yes' },
  is_no: { sentence: 'is no' },
  eq: { sentence: 'is' },
  neq: { sentence: 'is not' },
  gt: { sentence: 'is more than' },
  gte: { sentence: 'is at least' },
  lt: { sentence: 'is less than' },
  lte: { sentence: 'is at most' },
  contains: { sentence: 'contains' },
  in: { sentence: 'is one of' },
  not_in: { sentence: 'is none of' },
  more_than_days_ago: { sentence: 'was more than', menu: 'was more than N days ago' },
  less_than_days_ago: { sentence: 'was less than', menu: 'was less than N days ago' },
};

/** A date's comparisons in the builder's menu read as time ("is before" rather than "is less than"). */
const DATE_MENU: Partial<Record<ConditionOp, string>> = {
  gt: 'is after',
  gte: 'is on or after',
  lt: 'is before',
  lte: 'is on or before',
};

/** The operator as the rule builder offers it, for a subject holding a date or not. */
export const opMenuWords = (op: ConditionOp, date: boolean): string =>
  (date && DATE_MENU[op]) || OP_WORDS[op].menu || OP_WORDS[op].sentence;

export const FIELD_WORDS: Record<DealField, Words> = {
  amount: { sentence: 'Amount' },
  close_date: { sentence: 'Close date' },
  name: { sentence: 'Deal name' },
  company_domain: { sentence: 'Company', menu: 'Company domain' },
  created_at: { sentence: 'Created' },
  updated_at: { sentence: 'Last update' },
  stage_entered_at: { sentence: 'Entered this stage' },
};

/** The deal field as the rule builder's subject menu names it. */
export const fieldMenuWords = (field: DealField): string =>
  FIELD_WORDS[field].menu ?? FIELD_WORDS[field].sentence;

export const ROLE_WORDS: Record<DealRole, string> = {
  champion: 'champion',
  decision_maker: 'decision maker',
  economic_buyer: 'economic buyer',
  user: 'user',
  other: 'other',
};

/** A role in words; a role this build does not know (a newer device's) as it was written. */
export const roleWords = (role: string): string =>
  Object.hasOwn(ROLE_WORDS, role) ? ROLE_WORDS[role as DealRole] : role;
