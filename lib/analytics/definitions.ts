/**
 * The one place the metrics are defined. The options page shows these sentences as tooltips, the server
 * README quotes them, and the server's SQL must count exactly this (lib/analytics/README.md).
 *
 * "Contact" below means an enrollment: one contact in one sequence, sent from one mailbox. A contact in two
 * sequences counts once in each, so totals are the sum over sequences and over reps.
 */

export type CountKey =
  | 'enrolled'
  | 'contacted'
  | 'reached'
  | 'sent'
  | 'delivered'
  | 'bounced'
  | 'bouncedHard'
  | 'bouncedSoft'
  | 'openedHuman'
  | 'openedAll'
  | 'clicked'
  | 'replied'
  | 'outOfOffice'
  | 'meetings'
  | 'unsubscribed';

export type RateKey =
  | 'bounceRate'
  | 'openRate'
  | 'openRateAll'
  | 'clickRate'
  | 'replyRate'
  | 'outOfOfficeRate'
  | 'meetingRate'
  | 'unsubscribeRate';

export interface MetricDefinition {
  label: string;
  unit: 'contacts' | 'emails';
  definition: string;
  /** Open counts depend on tracking pixels: shown as estimates. */
  estimate?: boolean;
}

export interface RateDefinition {
  label: string;
  numerator: CountKey;
  denominator: CountKey;
  definition: string;
  estimate?: boolean;
}

export const COUNTS: Readonly<Record<CountKey, MetricDefinition>> = {
  enrolled: {
    label: 'Enrolled',
    unit: 'contacts',
    definition: 'Contacts enrolled in the range (one `enrolled` event per enrollment).',
  },
  contacted: {
    label: 'Contacted',
    unit: 'contacts',
    definition: 'Contacts sent at least one email in the range.',
  },
  reached: {
    label: 'Reached',
    unit: 'contacts',
    definition:
      'Contacted contacts with no hard bounce in the range: those who received at least one email. The denominator of the engagement rates.',
  },
  sent: { label: 'Sent', unit: 'emails', definition: 'Emails sent in the range (`sent` events).' },
  delivered: {
    label: 'Delivered',
    unit: 'emails',
    definition:
      'Emails sent in the range that did not bounce (hard or soft) in the range; a bounce counts against the last email sent before it.',
  },
  bounced: {
    label: 'Bounced',
    unit: 'contacts',
    definition: 'Contacts with at least one bounce, hard or soft, in the range.',
  },
  bouncedHard: {
    label: 'Hard bounces',
    unit: 'emails',
    definition:
      'Permanent bounces in the range (`bounced` with data.permanent true): the address does not exist.',
  },
  bouncedSoft: {
    label: 'Soft bounces',
    unit: 'emails',
    definition:
      'Temporary bounces in the range (`bounced` without data.permanent true): full mailbox, server busy.',
  },
  openedHuman: {
    label: 'Opened',
    unit: 'contacts',
    estimate: true,
    definition:
      'Contacts with at least one human open in the range (`opened` whose data.machine is not true). An estimate: images may be blocked, and some machine opens go undetected.',
  },
  openedAll: {
    label: 'Opened (all)',
    unit: 'contacts',
    estimate: true,
    definition:
      'Contacts with at least one open of any kind in the range, machine opens (privacy proxies, scanners) included. An estimate.',
  },
  clicked: {
    label: 'Clicked',
    unit: 'contacts',
    definition: 'Contacts who clicked a tracked link in the range.',
  },
  replied: {
    label: 'Replied',
    unit: 'contacts',
    definition:
      'Contacts who replied in person in the range (`replied`); auto-replies and out-of-office notices are not replies.',
  },
  outOfOffice: {
    label: 'Out of office',
    unit: 'contacts',
    definition: 'Contacts who sent an out-of-office notice in the range.',
  },
  meetings: {
    label: 'Meetings booked',
    unit: 'contacts',
    definition: 'Contacts who booked a meeting in the range.',
  },
  unsubscribed: {
    label: 'Unsubscribed',
    unit: 'contacts',
    definition: 'Contacts who asked to be removed (link or reply) in the range.',
  },
};

const rate = (
  label: string,
  numerator: CountKey,
  denominator: CountKey,
  definition: string,
  estimate?: boolean,
): RateDefinition => ({ label, numerator, denominator, definition, ...(estimate ? { estimate } : {}) });

/**
 * Every rate is per contact, like Outreach's and Salesloft's sequence reports: a contact who replied twice
 * counts once. The numerator only counts contacts who are also in the denominator (emailed in the same
 * range), so a rate stays between 0 and 1. A zero denominator gives null ("no data"), never NaN.
 */
export const RATES: Readonly<Record<RateKey, RateDefinition>> = {
  bounceRate: rate(
    'Bounce rate',
    'bounced',
    'contacted',
    'Contacted contacts with a bounce (hard or soft) / contacted contacts.',
  ),
  openRate: rate(
    'Open rate',
    'openedHuman',
    'reached',
    'Reached contacts with a human open / reached contacts. An estimate.',
    true,
  ),
  openRateAll: rate(
    'Open rate (all)',
    'openedAll',
    'reached',
    'Reached contacts with any open, machine opens included / reached contacts. An estimate.',
    true,
  ),
  clickRate: rate('Click rate', 'clicked', 'reached', 'Reached contacts who clicked / reached contacts.'),
  replyRate: rate('Reply rate', 'replied', 'reached', 'Reached contacts who replied / reached contacts.'),
  outOfOfficeRate: rate(
    'Out-of-office rate',
    'outOfOffice',
    'reached',
    'Reached contacts who sent an out-of-office notice / reached contacts.',
  ),
  meetingRate: rate(
    'Meeting rate',
    'meetings',
    'reached',
    'Reached contacts who booked a meeting / reached contacts.',
  ),
  unsubscribeRate: rate(
    'Unsubscribe rate',
    'unsubscribed',
    'reached',
    'Reached contacts who unsubscribed / reached contacts.',
  ),
};

/** How events are placed in a range, a step and a day. */
export const RULES = {
  range:
    'An event counts when from <= at < to (from inclusive, to exclusive), in milliseconds since the epoch.',
  dedupe:
    'Events are deduplicated by id: an id names one happening (the runner derives it from the enrollment and step), and it counts once. Two sends of the same step of an enrollment at the same millisecond are one send.',
  steps:
    'Sends, task events and enrollments belong to the step they name. Opens and clicks belong to the step they name (the tracked email), else to the last email sent before them. Replies, bounces, out-of-office notices, meetings and unsubscribes belong to the last email step sent at or before them (sends before the range count); with no earlier send they belong to no step.',
  stepFilter: 'With a step filter, only what belongs to one of those steps counts.',
  rows: 'A sequence, step or rep has a row when something of it counts in the range; one that counts nothing is left out.',
  days: 'Daily buckets are calendar days in the chosen time zone. Emails count on the day they happened; a contact counts on the day of their first such event in the range.',
  abTests:
    'A/B variants are compared on reply rate (reached contacts who replied to that step / reached contacts sent that variant), leader against each other variant: Fisher’s exact test when an expected cell is under 5, else a pooled two-proportion z-test; two-sided p-values. Below 95% confidence: "not enough data yet".',
  tasks:
    'Tasks are counted by due time in the range. On time: completed before the end of its due day (in the chosen time zone). Late: completed after that, before the range ends. Skipped: skipped by the rep. Cancelled: its enrollment ended before it was done. Overdue: still open at the end of the range, after its due day. Pending: still open, due day not over yet. On-time rate = on time / (on time + late + skipped + overdue).',
} as const;
