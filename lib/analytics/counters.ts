import type { CountKey, RateKey } from './definitions';
import type { FunnelRow, Rates, Tally, Counts } from './types';

/**
 * A scope's counters (the totals, a sequence, a step, a rep) as one flat array of numbers, because a million
 * events touch them millions of times: the counts in COUNT_KEYS order, then the rate numerators (contacts
 * counted in both a rate's numerator and its denominator). `COUNT`, `BOUNCE_NUMERATOR` and `ENGAGEMENT` name
 * the positions.
 */
export type Counters = number[];

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
/** The position of each count among a scope's counters. */
export const COUNT = Object.fromEntries(COUNT_KEYS.map((k, i) => [k, i])) as Record<CountKey, number>;
const BOUNCE_NUMERATOR = COUNT_KEYS.length;

/** What the events say about one contact (in a scope, or at one step), as bits. */
export const FLAG = {
  enrolled: 1,
  sent: 2,
  bouncedHard: 4,
  bouncedSoft: 8,
  openedHuman: 16,
  openedAll: 32,
  clicked: 64,
  replied: 128,
  outOfOffice: 256,
  meeting: 512,
  unsubscribed: 1024,
} as const;

/** An engagement: its flag, the count it adds to, and its rate's numerator among reached contacts. */
interface Engagement {
  flag: number;
  count: number;
  numerator: number;
  rate: RateKey;
}
const engagement = (flag: number, count: CountKey, n: number, rate: RateKey): Engagement => ({
  flag,
  count: COUNT[count],
  numerator: BOUNCE_NUMERATOR + n,
  rate,
});
const ENGAGEMENT: readonly Engagement[] = [
  engagement(FLAG.openedHuman, 'openedHuman', 1, 'openRate'),
  engagement(FLAG.openedAll, 'openedAll', 2, 'openRateAll'),
  engagement(FLAG.clicked, 'clicked', 3, 'clickRate'),
  engagement(FLAG.replied, 'replied', 4, 'replyRate'),
  engagement(FLAG.outOfOffice, 'outOfOffice', 5, 'outOfOfficeRate'),
  engagement(FLAG.meeting, 'meetings', 6, 'meetingRate'),
  engagement(FLAG.unsubscribed, 'unsubscribed', 7, 'unsubscribeRate'),
];
const SIZE = BOUNCE_NUMERATOR + ENGAGEMENT.length + 1;

export const newCounters = (): Counters => new Array<number>(SIZE).fill(0);

/** Counts one contact, described by its flags, in a scope's counters. */
export function addContact(counters: Counters, flags: number): void {
  if (flags & FLAG.enrolled) counters[COUNT.enrolled]!++;
  const sent = (flags & FLAG.sent) !== 0;
  const reached = sent && (flags & FLAG.bouncedHard) === 0;
  if (sent) counters[COUNT.contacted]!++;
  if (reached) counters[COUNT.reached]!++;
  if (flags & (FLAG.bouncedHard | FLAG.bouncedSoft)) {
    counters[COUNT.bounced]!++;
    if (sent) counters[BOUNCE_NUMERATOR]!++;
  }
  for (const e of ENGAGEMENT) {
    if ((flags & e.flag) === 0) continue;
    counters[e.count]!++;
    if (reached) counters[e.numerator]!++;
  }
}

export const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** A scope's counters as a Tally. */
export function tallyOf(counters: Counters): Tally {
  const counts = {} as Counts;
  COUNT_KEYS.forEach((k, i) => (counts[k] = counters[i]!));
  const numerators = { bounceRate: counters[BOUNCE_NUMERATOR]! } as Record<RateKey, number>;
  for (const e of ENGAGEMENT) numerators[e.rate] = counters[e.numerator]!;
  return { counts, numerators };
}

export function rowOf({ counts, numerators }: Tally): FunnelRow {
  const rates = { bounceRate: ratio(numerators.bounceRate, counts.contacted) } as Rates;
  for (const e of ENGAGEMENT) rates[e.rate] = ratio(numerators[e.rate], counts.reached);
  return { counts, rates };
}

/** Contacts and emails are never negative, so a row that counts nothing has every count at zero. */
export const countsSomething = ({ counts }: Tally) => COUNT_KEYS.some((k) => counts[k] !== 0);
