import type { Deal, FactValue, Money } from '../domain/deal';
import {
  isConditionGroup,
  type ActivityKind,
  type Condition,
  type ConditionGroup,
  type ConditionOp,
  type ConditionValue,
  type DealField,
  type Playbook,
} from '../domain/playbook';
import { dayNumber, DAY_MS, type Clock } from './clock';
import { FIELD_WORDS, OP_WORDS, roleWords } from './condition-words';

/** What the evaluator knows of a deal's activity, summarised by the caller from events, enrollments and tasks. */
export interface DealActivity {
  /** The last time of each kind of activity with the deal's contacts (or on the deal). */
  last: Partial<Record<ActivityKind, number>>;
  /** Contacts of the deal active or paused in a sequence. */
  activeSequences: number;
  /** Open tasks for the deal or its contacts. */
  openTasks: number;
}

export const NO_ACTIVITY: DealActivity = { last: {}, activeSequences: 0, openTasks: 0 };

export interface EvalContext {
  deal: Deal;
  activity: DealActivity;
  playbook: Playbook;
  clock: Clock;
}

/** A value the comparisons read: facts and fields normalised to one of these. */
type Subject =
  | { kind: 'bool'; v: boolean }
  | { kind: 'number'; v: number }
  | { kind: 'money'; v: Money }
  | { kind: 'date'; v: string }
  | { kind: 'text'; v: string }
  /** An instant (ms): created_at and the like. */
  | { kind: 'instant'; v: number };

function subjectOfFact(f: FactValue | undefined): Subject | undefined {
  if (!f) return undefined;
  switch (f.type) {
    case 'yes_no':
      return { kind: 'bool', v: f.value };
    case 'number':
      return { kind: 'number', v: f.value };
    case 'money':
      return { kind: 'money', v: f.value };
    case 'date':
      return { kind: 'date', v: f.value };
    case 'text':
    case 'choice':
    case 'contact':
      return f.value.trim() ? { kind: 'text', v: f.value } : undefined;
  }
}

function subjectOfField(deal: Deal, field: DealField): Subject | undefined {
  switch (field) {
    case 'amount':
      return deal.amount && { kind: 'money', v: deal.amount };
    case 'close_date':
      return deal.closeDate ? { kind: 'date', v: deal.closeDate } : undefined;
    case 'name':
      return { kind: 'text', v: deal.name };
    case 'company_domain':
      return deal.companyDomain ? { kind: 'text', v: deal.companyDomain } : undefined;
    case 'created_at':
      return { kind: 'instant', v: deal.createdAt };
    case 'updated_at':
      return { kind: 'instant', v: deal.updatedAt };
    case 'stage_entered_at':
      return { kind: 'instant', v: deal.stageEnteredAt };
  }
}

/** -1/0/1, or undefined when the two cannot be compared (other type, other currency). */
function order(s: Subject, value: ConditionValue | undefined): number | undefined {
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  switch (s.kind) {
    case 'number':
      return typeof value === 'number' ? cmp(s.v, value) : undefined;
    case 'money':
      return typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        value.currency === s.v.currency
        ? cmp(s.v.value, value.value)
        : undefined;
    case 'date':
      return typeof value === 'string' ? cmp(s.v, value) : undefined;
    case 'text':
      return typeof value === 'string' ? cmp(s.v.toLowerCase(), value.toLowerCase()) : undefined;
    case 'bool':
      return typeof value === 'boolean' ? (s.v === value ? 0 : 1) : undefined;
    case 'instant':
      return undefined;
  }
}

/** Whole days between the subject and today (positive: in the past); undefined for non-dates. */
function daysAgo(s: Subject, clock: Clock): number | undefined {
  if (s.kind === 'date') return clock.today - dayNumber(s.v);
  if (s.kind === 'instant') return (clock.now - s.v) / DAY_MS;
  return undefined;
}

function compare(
  s: Subject | undefined,
  op: ConditionOp,
  value: ConditionValue | undefined,
  clock: Clock,
): boolean {
  if (op === 'empty') return s === undefined;
  if (s === undefined) return false;
  switch (op) {
    case 'not_empty':
      return true;
    case 'is_yes':
      return s.kind === 'bool' && s.v;
    case 'is_no':
      return s.kind === 'bool' && !s.v;
    case 'eq':
      return order(s, value) === 0;
    case 'neq': {
      const o = order(s, value);
      return o !== undefined && o !== 0;
    }
    case 'gt':
      return order(s, value) === 1;
    case 'gte': {
      const o = order(s, value);
      return o === 0 || o === 1;
    }
    case 'lt':
      return order(s, value) === -1;
    case 'lte': {
      const o = order(s, value);
      return o === 0 || o === -1;
    }
    case 'contains':
      return (
        s.kind === 'text' && typeof value === 'string' && s.v.toLowerCase().includes(value.toLowerCase())
      );
    case 'in':
    case 'not_in': {
      if (s.kind !== 'text' || !Array.isArray(value)) return false;
      const found = value.some((x) => x.toLowerCase() === s.v.toLowerCase());
      return op === 'in' ? found : !found;
    }
    case 'more_than_days_ago':
    case 'less_than_days_ago': {
      const ago = daysAgo(s, clock);
      if (ago === undefined || typeof value !== 'number') return false;
      return op === 'more_than_days_ago' ? ago > value : ago >= 0 && ago < value;
    }
  }
}

/** Does one condition hold? The fast path: no words are built. */
export function holds(c: Condition, ctx: EvalContext): boolean {
  const { deal, activity } = ctx;
  switch (c.type) {
    case 'fact':
      return compare(subjectOfFact(deal.facts[c.key]), c.op, c.value, ctx.clock);
    case 'field':
      return compare(subjectOfField(deal, c.field), c.op, c.value, ctx.clock);
    case 'no_contact_with_role':
      return !deal.contacts.some((x) => x.role === c.role);
    case 'contact_with_role':
      return deal.contacts.some((x) => x.role === c.role);
    case 'no_activity': {
      // A deal younger than N days has not been quiet for N days: its creation counts as the floor.
      const since = ctx.clock.now - c.days * DAY_MS;
      return deal.createdAt < since && c.kinds.every((k) => (activity.last[k] ?? -Infinity) < since);
    }
    case 'no_active_sequence':
      return activity.activeSequences === 0;
    case 'no_open_task':
      return activity.openTasks === 0;
    case 'stage_is':
      return c.stageIds.includes(deal.stageId);
  }
}

export function groupHolds(g: ConditionGroup, ctx: EvalContext): boolean {
  if (g.op === 'and') {
    for (const c of g.conditions)
      if (!(isConditionGroup(c) ? groupHolds(c, ctx) : holds(c, ctx))) return false;
    return true;
  }
  for (const c of g.conditions) if (isConditionGroup(c) ? groupHolds(c, ctx) : holds(c, ctx)) return true;
  return false;
}

/**
 * The conditions that make a group true, in words (empty when it does not hold). For an AND group every
 * condition; for an OR group the ones that hold.
 */
export function explain(g: ConditionGroup, ctx: EvalContext): string[] {
  const parts = g.conditions.map((c) =>
    isConditionGroup(c) ? explain(c, ctx) : holds(c, ctx) ? [describeCondition(c, ctx)] : [],
  );
  if (g.op === 'and') return parts.every((p) => p.length) ? parts.flat() : [];
  return parts.flat();
}

function valueWords(v: ConditionValue | undefined, op: ConditionOp): string {
  if (v === undefined) return '';
  if (op === 'more_than_days_ago' || op === 'less_than_days_ago') return ` ${String(v)} days ago`;
  if (Array.isArray(v)) return ` ${v.join(', ')}`;
  if (typeof v === 'object') return ` ${v.value} ${v.currency}`;
  if (typeof v === 'boolean') return v ? ' yes' : ' no';
  return ` ${String(v)}`;
}

function describeFactValue(f: FactValue | undefined): string {
  if (!f) return '';
  if (f.type === 'yes_no') return f.value ? 'yes' : 'no';
  if (f.type === 'money') return `${f.value.value} ${f.value.currency}`;
  return String(f.value);
}

/** One condition in words, with the value it saw where that helps ("Amount is less than 5000 EUR (1200 EUR)"). */
export function describeCondition(c: Condition, ctx: EvalContext): string {
  const { deal, playbook } = ctx;
  switch (c.type) {
    case 'fact': {
      const label = playbook.facts.find((f) => f.key === c.key)?.label ?? c.key;
      const seen = describeFactValue(deal.facts[c.key]);
      return `${label} ${OP_WORDS[c.op].sentence}${valueWords(c.value, c.op)}${seen && c.op !== 'not_empty' ? ` (${seen})` : ''}`;
    }
    case 'field': {
      const s = subjectOfField(deal, c.field);
      const seen =
        s?.kind === 'money'
          ? `${s.v.value} ${s.v.currency}`
          : s?.kind === 'instant'
            ? new Date(s.v).toISOString().slice(0, 10)
            : s
              ? String(s.v)
              : '';
      return `${FIELD_WORDS[c.field].sentence} ${OP_WORDS[c.op].sentence}${valueWords(c.value, c.op)}${seen && c.op !== 'not_empty' ? ` (${seen})` : ''}`;
    }
    case 'no_contact_with_role':
      return `no contact with the role ${roleWords(c.role)}`;
    case 'contact_with_role':
      return `a contact with the role ${roleWords(c.role)}`;
    case 'no_activity': {
      const kinds =
        c.kinds.length > 1 ? `${c.kinds.slice(0, -1).join(', ')} or ${c.kinds.at(-1)}` : c.kinds[0];
      const last = Math.max(...c.kinds.map((k) => ctx.activity.last[k] ?? -Infinity));
      const lastWords = Number.isFinite(last)
        ? `last on ${new Date(last).toISOString().slice(0, 10)}`
        : 'none since the deal was created';
      return `no ${kinds} in ${c.days} days (${lastWords})`;
    }
    case 'no_active_sequence':
      return 'no contact in an active sequence';
    case 'no_open_task':
      return 'no open task';
    case 'stage_is': {
      const names = c.stageIds.map((id) => playbook.stages.find((s) => s.id === id)?.name ?? id);
      return `stage is ${names.join(' or ')}`;
    }
  }
}
