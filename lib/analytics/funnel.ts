import type { z } from 'zod';
import type {
  AbTestRow as AbTestRowSchema,
  Analytics as AnalyticsSchema,
  AnalyticsCounts,
  AnalyticsRates,
  DayRow as DayRowSchema,
  FunnelRow as FunnelRowSchema,
  RepRow as RepRowSchema,
  SequenceRow as SequenceRowSchema,
  StepRow as StepRowSchema,
  TaskAdherenceRow as TaskAdherenceRowSchema,
  VariantComparison as VariantComparisonSchema,
  VariantRow as VariantRowSchema,
} from './answer';
import type { Event } from '../domain/event';
import type { CountKey, RateKey } from './definitions';
import { isoDateOfDay, localDays } from './days';
import { compareProportions, confidenceOf } from './significance';

export interface AnalyticsFilter {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  sequenceIds?: readonly string[];
  /** Reps, by sending mailbox. */
  mailboxes?: readonly string[];
  stepIndexes?: readonly number[];
}

export interface AnalyticsOptions {
  /** IANA zone of the daily buckets and of the tasks' due days. */
  timeZone: string;
}

export type Counts = z.infer<typeof AnalyticsCounts>;
export type Rates = z.infer<typeof AnalyticsRates>;
export type FunnelRow = z.infer<typeof FunnelRowSchema>;
export type SequenceRow = z.infer<typeof SequenceRowSchema>;
export type StepRow = z.infer<typeof StepRowSchema>;
export type RepRow = z.infer<typeof RepRowSchema>;
export type DayRow = z.infer<typeof DayRowSchema>;
export type VariantRow = z.infer<typeof VariantRowSchema>;
export type VariantComparison = z.infer<typeof VariantComparisonSchema>;
export type AbTestRow = z.infer<typeof AbTestRowSchema>;
export type TaskAdherenceRow = z.infer<typeof TaskAdherenceRowSchema>;
/** The shape lib/contract/analytics.ts declares, which the server's `GET /analytics` answers too. */
export type Analytics = AnalyticsSchema;

/**
 * What a scope's row is made of before its rates: the counts, and for each rate the contacts counted in both
 * its numerator and its denominator. The server's SQL produces these too, and `analyticsOf` turns them into
 * the answer, so both sides share the rates, the order of rows and the A/B tests.
 */
export interface Tally {
  counts: Counts;
  numerators: Record<RateKey, number>;
}

export interface AnalyticsTallies {
  totals: Tally;
  bySequence: { sequenceId: string; tally: Tally }[];
  byStep: { sequenceId: string; stepIndex: number; tally: Tally }[];
  byRep: { mailbox: string; tally: Tally }[];
  /** Every day of the range (see `emptyDays`). */
  daily: DayRow[];
  /** Reached contacts and those who replied, per variant sent. */
  variants: { sequenceId: string; stepIndex: number; variant: number; reached: number; replied: number }[];
  tasks: Omit<TaskAdherenceRow, 'onTimeRate'>[];
}

// Counters of one scope, in CountKey order, then the rate numerators (contacts also in the denominator).
const COUNT_KEYS: readonly CountKey[] = [
  'enrolled',
  'contacted',
  'reached',
  'sent',
  'delivered',
  'bounced',
  'bouncedHard',
  'bouncedSoft',
  'openedHuman',
  'openedAll',
  'clicked',
  'replied',
  'outOfOffice',
  'meetings',
  'unsubscribed',
];
const C = Object.fromEntries(COUNT_KEYS.map((k, i) => [k, i])) as Record<CountKey, number>;
const N_BOUNCED = COUNT_KEYS.length;

// Per-contact flags.
const F_ENROLLED = 1;
const F_SENT = 2;
const F_HARD = 4;
const F_SOFT = 8;
const F_OPEN_HUMAN = 16;
const F_OPEN_ALL = 32;
const F_CLICK = 64;
const F_REPLY = 128;
const F_OOO = 256;
const F_MEET = 512;
const F_UNSUB = 1024;

/** The contact counts of the daily series, each on the day of the contact's first such event. */
const DAY_KEYS = ['enrolled', 'openedHuman', 'clicked', 'replied', 'meetings', 'unsubscribed'] as const;
const DAY_FLAGS = [F_ENROLLED, F_OPEN_HUMAN, F_CLICK, F_REPLY, F_MEET, F_UNSUB];
const DAY_MASK = DAY_FLAGS.reduce((mask, f) => mask | f);

/** Engagement flags: [flag, count index, numerator index among reached contacts, rate]. */
const ENGAGEMENT: readonly (readonly [number, number, number, RateKey])[] = [
  [F_OPEN_HUMAN, C.openedHuman, N_BOUNCED + 1, 'openRate'],
  [F_OPEN_ALL, C.openedAll, N_BOUNCED + 2, 'openRateAll'],
  [F_CLICK, C.clicked, N_BOUNCED + 3, 'clickRate'],
  [F_REPLY, C.replied, N_BOUNCED + 4, 'replyRate'],
  [F_OOO, C.outOfOffice, N_BOUNCED + 5, 'outOfOfficeRate'],
  [F_MEET, C.meetings, N_BOUNCED + 6, 'meetingRate'],
  [F_UNSUB, C.unsubscribed, N_BOUNCED + 7, 'unsubscribeRate'],
];
const AGG_SIZE = N_BOUNCED + 8;
const newAgg = (): number[] => new Array<number>(AGG_SIZE).fill(0);

function addContact(agg: number[], flags: number): void {
  if (flags & F_ENROLLED) agg[C.enrolled]!++;
  const sent = (flags & F_SENT) !== 0;
  const reached = sent && (flags & F_HARD) === 0;
  if (sent) agg[C.contacted]!++;
  if (reached) agg[C.reached]!++;
  if (flags & (F_HARD | F_SOFT)) {
    agg[C.bounced]!++;
    if (sent) agg[N_BOUNCED]!++;
  }
  for (const [flag, count, numerator] of ENGAGEMENT) {
    if ((flags & flag) === 0) continue;
    agg[count]!++;
    if (reached) agg[numerator]!++;
  }
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** A scope's counters (COUNT_KEYS order, then the bounce and engagement numerators) as a Tally. */
function tallyOf(agg: number[]): Tally {
  const counts = {} as Counts;
  COUNT_KEYS.forEach((k, i) => (counts[k] = agg[i]!));
  const numerators = { bounceRate: agg[N_BOUNCED]! } as Record<RateKey, number>;
  for (const [, , numerator, key] of ENGAGEMENT) numerators[key] = agg[numerator]!;
  return { counts, numerators };
}

export function rowOf({ counts, numerators }: Tally): FunnelRow {
  const rates = { bounceRate: ratio(numerators.bounceRate, counts.contacted) } as Rates;
  for (const [, , , key] of ENGAGEMENT) rates[key] = ratio(numerators[key], counts.reached);
  return { counts, rates };
}

/** Contacts and emails are never negative, so a row that counts nothing has every count at zero. */
const countsSomething = ({ counts }: Tally) => COUNT_KEYS.some((k) => counts[k] !== 0);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The answer from its tallies: rates, rows in their order (sequences by id, steps by index, reps by meetings
 * then replies then mailbox, tasks by mailbox), only the rows that count something, and the A/B tests.
 */
export function analyticsOf(t: AnalyticsTallies): Analytics {
  const variants = new Map<string, AnalyticsTallies['variants']>();
  for (const v of t.variants) {
    const key = JSON.stringify([v.sequenceId, v.stepIndex]);
    const list = variants.get(key);
    if (list) list.push(v);
    else variants.set(key, [v]);
  }
  return {
    totals: rowOf(t.totals),
    bySequence: t.bySequence
      .filter((r) => countsSomething(r.tally))
      .sort((a, b) => byText(a.sequenceId, b.sequenceId))
      .map((r) => ({ sequenceId: r.sequenceId, ...rowOf(r.tally) })),
    byStep: t.byStep
      .filter((r) => countsSomething(r.tally))
      .sort((a, b) => byText(a.sequenceId, b.sequenceId) || a.stepIndex - b.stepIndex)
      .map((r) => ({ sequenceId: r.sequenceId, stepIndex: r.stepIndex, ...rowOf(r.tally) })),
    byRep: t.byRep
      .filter((r) => countsSomething(r.tally))
      .map((r) => ({ mailbox: r.mailbox, ...rowOf(r.tally) }))
      .sort(
        (a, b) =>
          b.counts.meetings - a.counts.meetings ||
          b.counts.replied - a.counts.replied ||
          byText(a.mailbox, b.mailbox),
      ),
    daily: t.daily,
    abTests: [...variants.values()]
      .filter((list) => new Set(list.map((v) => v.variant)).size > 1)
      .map((list) => abTestOf(list[0]!.sequenceId, list[0]!.stepIndex, list))
      .sort((a, b) => byText(a.sequenceId, b.sequenceId) || a.stepIndex - b.stepIndex),
    taskAdherence: t.tasks
      .map((r) => ({ ...r, onTimeRate: ratio(r.onTime, r.onTime + r.late + r.skipped + r.overdue) }))
      .sort((a, b) => byText(a.mailbox, b.mailbox)),
  };
}

/** Every day of [from, to) in the zone of `dayOf`, counting nothing yet. */
export function emptyDays(from: number, to: number, dayOf: (ms: number) => number): DayRow[] {
  const first = dayOf(from);
  const length = to > from ? dayOf(to - 1) - first + 1 : 0;
  return Array.from({ length: Math.max(0, length) }, (_, i) => ({
    date: isoDateOfDay(first + i),
    enrolled: 0,
    sent: 0,
    bounced: 0,
    openedHuman: 0,
    clicked: 0,
    replied: 0,
    meetings: 0,
    unsubscribed: 0,
  }));
}

interface SequenceScope {
  agg: number[];
  steps: Map<number, number[]>;
  /** step -> variant -> [reached, replied] */
  variants: Map<number, Map<number, [number, number]>>;
}

/** One enrollment ("contact") as the events describe it. */
class Contact {
  flags = 0;
  stepFlags: number[] | undefined;
  /** Sends before `to`, as (at, step, variant) triples; sends before `from` serve attribution only. */
  readonly sends: number[] = [];
  /** Ids of the bounces counted (see `addSend` for why a list). */
  private bounceIds: string[] | undefined;

  /** First in-range time of each of DAY_FLAGS, for the daily series. */
  first: number[] | undefined;
  constructor(
    readonly sequence: SequenceScope,
    readonly rep: number[],
  ) {}

  mark(flags: number, step: number, at: number): void {
    this.flags |= flags;
    if (step >= 0) {
      this.stepFlags ??= [];
      this.stepFlags[step] = (this.stepFlags[step] ?? 0) | flags;
    }
    if ((flags & DAY_MASK) === 0) return;
    const first = (this.first ??= new Array<number>(DAY_FLAGS.length).fill(Infinity));
    for (let k = 0; k < DAY_FLAGS.length; k++) if (flags & DAY_FLAGS[k]! && at < first[k]!) first[k] = at;
  }

  /**
   * Deterministic ids make a repeated id the same happening, and everything but emails is idempotent here (a
   * flag set twice, the earliest time kept). So only sends and bounces are deduplicated, per contact, which
   * is cheaper than a set of a million ids: a repeated send has the same time and step, a bounce its id.
   */
  addSend(at: number, step: number, variant: number): void {
    const sends = this.sends;
    for (let i = 0; i < sends.length; i += 3) if (sends[i] === at && sends[i + 1] === step) return;
    sends.push(at, step, variant);
  }

  firstBounce(id: string): boolean {
    const ids = (this.bounceIds ??= []);
    if (ids.includes(id)) return false;
    ids.push(id);
    return true;
  }

  /** The step of the last email sent at or before `at` (the later step of two sent together), or -1. */
  lastStepAt(at: number): number {
    let best = -Infinity;
    let step = -1;
    for (let i = 0; i < this.sends.length; i += 3) {
      const t = this.sends[i]!;
      const s = this.sends[i + 1]!;
      if (t <= at && (t > best || (t === best && s > step))) {
        best = t;
        step = s;
      }
    }
    return step;
  }
}

interface TaskState {
  sequenceId?: string;
  mailbox?: string;
  stepIndex: number;
  enrollmentId?: string;
  dueAt: number;
  doneAt: number;
  skipped: boolean;
}

const SIGNALS: Partial<Record<Event['type'], number>> = {
  replied: F_REPLY,
  out_of_office: F_OOO,
  meeting_booked: F_MEET,
  unsubscribed: F_UNSUB,
};

const letter = (variant: number) => String.fromCharCode(65 + variant);

/**
 * Funnels, steps, reps, days, A/B tests and task adherence from the event history, in one pass over the
 * events plus one over the contacts they name. The definitions are lib/analytics/definitions.ts.
 */
export function computeAnalytics(
  events: readonly Event[],
  filter: AnalyticsFilter,
  opts: AnalyticsOptions,
): Analytics {
  const { from, to } = filter;
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('from and to must be epoch ms');
  const sequenceIds = filter.sequenceIds && new Set(filter.sequenceIds);
  const mailboxes = filter.mailboxes && new Set(filter.mailboxes);
  const steps = filter.stepIndexes && new Set(filter.stepIndexes);
  const stepOk = (step: number) => !steps || steps.has(step);
  const dayOf = localDays(opts.timeZone);

  const totals = newAgg();
  const sequenceScopes = new Map<string, SequenceScope>();
  const repScopes = new Map<string, number[]>();
  const contacts = new Map<string, Contact>();
  const deferred: Event[] = [];
  const tasks = new Map<string, TaskState>();
  const endedAt = new Map<string, number>();

  const contactOf = (e: Event): Contact => {
    const key = e.enrollmentId ?? (e.contactId ? `${e.sequenceId ?? ''}|${e.contactId}` : e.id);
    let c = contacts.get(key);
    if (c) return c;
    const sequenceId = e.sequenceId ?? '';
    let sequence = sequenceScopes.get(sequenceId);
    if (!sequence) {
      sequence = { agg: newAgg(), steps: new Map(), variants: new Map() };
      sequenceScopes.set(sequenceId, sequence);
    }
    const mailbox = e.mailbox ?? '';
    let rep = repScopes.get(mailbox);
    if (!rep) repScopes.set(mailbox, (rep = newAgg()));
    contacts.set(key, (c = new Contact(sequence, rep)));
    return c;
  };
  const stepAgg = (c: Contact, step: number): number[] => {
    let agg = c.sequence.steps.get(step);
    if (!agg) c.sequence.steps.set(step, (agg = newAgg()));
    return agg;
  };

  const firstDay = dayOf(from);
  const daily = emptyDays(from, to, dayOf);
  // A zone that turns its clock back across midnight dates an instant after the range's start on the day
  // before: it counts on the nearest day of the range, as everything at the range's edges does.
  const dayAt = (ms: number) => daily[Math.min(Math.max(dayOf(ms) - firstDay, 0), daily.length - 1)]!;

  const countEmail = (c: Contact, step: number, index: number, at: number) => {
    totals[index]!++;
    c.sequence.agg[index]!++;
    c.rep[index]!++;
    if (step >= 0) stepAgg(c, step)[index]!++;
    if (index === C.delivered) return;
    const day = dayAt(at);
    if (index === C.sent) day.sent++;
    else day.bounced++;
  };

  for (const e of events) {
    const type = e.type;
    if (type === 'task_created' || type === 'task_completed' || type === 'task_skipped') {
      // Filters apply at the end: a completion may not name the sequence its task belongs to.
      const id = typeof e.data?.taskId === 'string' ? e.data.taskId : e.id;
      let t = tasks.get(id);
      if (!t) tasks.set(id, (t = { stepIndex: -1, dueAt: NaN, doneAt: Infinity, skipped: false }));
      t.sequenceId ??= e.sequenceId;
      t.mailbox ??= e.mailbox;
      t.enrollmentId ??= e.enrollmentId;
      if (t.stepIndex < 0 && e.stepIndex !== undefined) t.stepIndex = e.stepIndex;
      if (Number.isNaN(t.dueAt) && typeof e.data?.dueAt === 'number') t.dueAt = e.data.dueAt;
      if (type !== 'task_created' && e.at < t.doneAt) {
        t.doneAt = e.at;
        t.skipped = type === 'task_skipped';
      }
      continue;
    }
    if (type === 'unenrolled') {
      if (e.enrollmentId && !(e.at >= (endedAt.get(e.enrollmentId) ?? Infinity)))
        endedAt.set(e.enrollmentId, e.at);
      continue;
    }
    const at = e.at;
    if (at >= to) continue;
    if (sequenceIds && !sequenceIds.has(e.sequenceId ?? '')) continue;
    if (mailboxes && !mailboxes.has(e.mailbox ?? '')) continue;
    switch (type) {
      case 'sent': {
        const variant = e.data?.variant;
        contactOf(e).addSend(at, e.stepIndex ?? -1, typeof variant === 'number' ? variant : -1);
        break;
      }
      case 'enrolled': {
        const step = e.stepIndex ?? -1;
        if (at >= from && stepOk(step)) contactOf(e).mark(F_ENROLLED, step, at);
        break;
      }
      case 'opened':
      case 'clicked': {
        if (at < from) break;
        const flag =
          type === 'clicked' ? F_CLICK : e.data?.machine === true ? F_OPEN_ALL : F_OPEN_HUMAN | F_OPEN_ALL;
        // A tracked email names its step; without one, the open belongs to the last email sent.
        if (e.stepIndex === undefined) deferred.push(e);
        else if (stepOk(e.stepIndex)) contactOf(e).mark(flag, e.stepIndex, at);
        break;
      }
      case 'bounced':
        if (at >= from && contactOf(e).firstBounce(e.id)) deferred.push(e);
        break;
      case 'replied':
      case 'out_of_office':
      case 'meeting_booked':
      case 'unsubscribed':
        // The runner stamps these with the enrollment's next step; the step they answer is the last one sent.
        if (at >= from) deferred.push(e);
        break;
      default:
        break;
    }
  }

  for (const e of deferred) {
    const c = contactOf(e);
    const step = c.lastStepAt(e.at);
    if (steps && !steps.has(step)) continue;
    let flag: number;
    if (e.type === 'bounced') {
      flag = e.data?.permanent === true ? F_HARD : F_SOFT;
      countEmail(c, step, flag === F_HARD ? C.bouncedHard : C.bouncedSoft, e.at);
    } else if (e.type === 'opened') flag = e.data?.machine === true ? F_OPEN_ALL : F_OPEN_HUMAN | F_OPEN_ALL;
    else if (e.type === 'clicked') flag = F_CLICK;
    else flag = SIGNALS[e.type]!;
    c.mark(flag, step, e.at);
  }

  for (const c of contacts.values()) {
    const sends = c.sends;
    for (let i = 0; i < sends.length; i += 3) {
      const at = sends[i]!;
      const step = sends[i + 1]!;
      if (at < from || !stepOk(step)) continue;
      c.mark(F_SENT, step, at);
      countEmail(c, step, C.sent, at);
      if (step < 0 || !((c.stepFlags?.[step] ?? 0) & (F_HARD | F_SOFT))) countEmail(c, step, C.delivered, at);
    }
    if (c.flags === 0) continue;
    addContact(totals, c.flags);
    addContact(c.sequence.agg, c.flags);
    addContact(c.rep, c.flags);
    c.stepFlags?.forEach((flags, step) => addContact(stepAgg(c, step), flags));
    if (c.first)
      for (let k = 0; k < DAY_KEYS.length; k++) {
        const at = c.first[k]!;
        if (at !== Infinity) dayAt(at)[DAY_KEYS[k]!]++;
      }
    for (let i = 0; i < sends.length; i += 3) {
      const variant = sends[i + 2]!;
      const step = sends[i + 1]!;
      if (variant < 0 || sends[i]! < from || !stepOk(step)) continue;
      const flags = c.stepFlags?.[step] ?? 0;
      if (flags & F_HARD) continue;
      let byVariant = c.sequence.variants.get(step);
      if (!byVariant) c.sequence.variants.set(step, (byVariant = new Map()));
      const tally = byVariant.get(variant) ?? [0, 0];
      tally[0]++;
      if (flags & F_REPLY) tally[1]++;
      byVariant.set(variant, tally);
    }
  }

  const sequenceList = [...sequenceScopes];
  return analyticsOf({
    totals: tallyOf(totals),
    bySequence: sequenceList.map(([sequenceId, q]) => ({ sequenceId, tally: tallyOf(q.agg) })),
    byStep: sequenceList.flatMap(([sequenceId, q]) =>
      [...q.steps].map(([stepIndex, agg]) => ({ sequenceId, stepIndex, tally: tallyOf(agg) })),
    ),
    byRep: [...repScopes].map(([mailbox, agg]) => ({ mailbox, tally: tallyOf(agg) })),
    daily,
    variants: sequenceList.flatMap(([sequenceId, q]) =>
      [...q.variants].flatMap(([stepIndex, byVariant]) =>
        [...byVariant].map(([variant, [reached, replied]]) => ({
          sequenceId,
          stepIndex,
          variant,
          reached,
          replied,
        })),
      ),
    ),
    tasks: taskAdherenceOf(tasks, endedAt, filter, sequenceIds, mailboxes, stepOk, dayOf),
  });
}

function abTestOf(
  sequenceId: string,
  stepIndex: number,
  tallies: readonly { variant: number; reached: number; replied: number }[],
): AbTestRow {
  const variants: VariantRow[] = [...tallies]
    .sort((a, b) => a.variant - b.variant)
    .map(({ variant, reached, replied }) => ({
      variant,
      label: letter(variant),
      reached,
      replied,
      replyRate: ratio(replied, reached),
    }));
  const leader = variants.reduce((best, v) => ((v.replyRate ?? -1) > (best.replyRate ?? -1) ? v : best));
  const comparisons: VariantComparison[] = [];
  for (const other of variants) {
    if (other === leader) continue;
    const test = compareProportions(
      { successes: leader.replied, trials: leader.reached },
      { successes: other.replied, trials: other.reached },
    );
    if (!test) continue;
    const confidence = leader.replyRate === other.replyRate ? null : confidenceOf(test.pValue);
    comparisons.push({
      leader: leader.label,
      other: other.label,
      ...test,
      confidence,
      summary: confidence
        ? `${Math.round(confidence * 100)}% confident ${leader.label} beats ${other.label}`
        : 'not enough data yet',
    });
  }
  const decided = comparisons.length === variants.length - 1 && comparisons.every((c) => c.confidence);
  const level = Math.min(...comparisons.map((c) => c.confidence ?? 0));
  return {
    sequenceId,
    stepIndex,
    variants,
    comparisons,
    summary: decided
      ? `${Math.round(level * 100)}% confident ${leader.label} beats ${comparisons.map((c) => c.other).join(' and ')}`
      : 'not enough data yet',
  };
}

function taskAdherenceOf(
  tasks: Map<string, TaskState>,
  endedAt: Map<string, number>,
  { from, to }: AnalyticsFilter,
  sequenceIds: Set<string> | undefined,
  mailboxes: Set<string> | undefined,
  stepOk: (step: number) => boolean,
  dayOf: (ms: number) => number,
): AnalyticsTallies['tasks'] {
  const rows = new Map<string, AnalyticsTallies['tasks'][number]>();
  const lastDay = dayOf(to);
  for (const t of tasks.values()) {
    if (!(t.dueAt >= from && t.dueAt < to)) continue;
    if (sequenceIds && !sequenceIds.has(t.sequenceId ?? '')) continue;
    if (mailboxes && !mailboxes.has(t.mailbox ?? '')) continue;
    if (!stepOk(t.stepIndex)) continue;
    const mailbox = t.mailbox ?? '';
    let row = rows.get(mailbox);
    if (!row) {
      row = {
        mailbox,
        due: 0,
        onTime: 0,
        late: 0,
        skipped: 0,
        overdue: 0,
        pending: 0,
        cancelled: 0,
      };
      rows.set(mailbox, row);
    }
    row.due++;
    const dueDay = dayOf(t.dueAt);
    // Ending an enrollment closes its open tasks without a task event; its `unenrolled` event says when.
    const ended = t.enrollmentId === undefined ? Infinity : (endedAt.get(t.enrollmentId) ?? Infinity);
    if (t.doneAt < to && t.doneAt <= ended) {
      if (t.skipped) row.skipped++;
      else if (dayOf(t.doneAt) <= dueDay) row.onTime++;
      else row.late++;
    } else if (ended < to) row.cancelled++;
    else if (lastDay > dueDay) row.overdue++;
    else row.pending++;
  }
  return [...rows.values()];
}
