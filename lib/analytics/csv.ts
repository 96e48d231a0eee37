import Papa from 'papaparse';
import { COUNTS, RATES, type CountKey, type RateKey } from './definitions';
import type { Analytics, FunnelRow } from './funnel';

export type CsvView = 'funnel' | 'steps' | 'reps' | 'daily' | 'abTests' | 'tasks';

export interface CsvLabels {
  /** Sequence names for ids; the id is written when absent. */
  sequenceName?: (sequenceId: string) => string;
}

type Cell = string | number | null;

/** A rate as a percentage with one decimal ("23.4%"); an undefined rate (zero denominator) as an empty cell. */
export const percent = (rate: number | null): string => (rate === null ? '' : `${(rate * 100).toFixed(1)}%`);

const COUNT_COLUMNS = Object.keys(COUNTS) as CountKey[];
const RATE_COLUMNS = Object.keys(RATES) as RateKey[];
const funnelHeader = [
  ...COUNT_COLUMNS.map((k) => COUNTS[k].label + (COUNTS[k].estimate ? ' (estimate)' : '')),
  ...RATE_COLUMNS.map((k) => RATES[k].label + (RATES[k].estimate ? ' (estimate)' : '')),
];
const funnelCells = (row: FunnelRow): Cell[] => [
  ...COUNT_COLUMNS.map((k) => row.counts[k]),
  ...RATE_COLUMNS.map((k) => percent(row.rates[k])),
];

function table(
  a: Analytics,
  view: CsvView,
  name: (id: string) => string,
): { fields: string[]; data: Cell[][] } {
  switch (view) {
    case 'funnel':
      return {
        fields: ['Sequence', ...funnelHeader],
        data: [
          ...a.bySequence.map((r) => [name(r.sequenceId), ...funnelCells(r)]),
          ['All sequences', ...funnelCells(a.totals)],
        ],
      };
    case 'steps':
      return {
        fields: ['Sequence', 'Step', ...funnelHeader],
        data: a.byStep.map((r) => [name(r.sequenceId), r.stepIndex + 1, ...funnelCells(r)]),
      };
    case 'reps':
      return { fields: ['Rep', ...funnelHeader], data: a.byRep.map((r) => [r.mailbox, ...funnelCells(r)]) };
    case 'daily':
      return {
        fields: [
          'Date',
          'Enrolled',
          'Sent',
          'Bounced',
          'Opened (estimate)',
          'Clicked',
          'Replied',
          'Meetings booked',
          'Unsubscribed',
        ],
        data: a.daily.map((d) => [
          d.date,
          d.enrolled,
          d.sent,
          d.bounced,
          d.openedHuman,
          d.clicked,
          d.replied,
          d.meetings,
          d.unsubscribed,
        ]),
      };
    case 'abTests':
      return {
        fields: ['Sequence', 'Step', 'Variant', 'Reached', 'Replied', 'Reply rate', 'Result'],
        data: a.abTests.flatMap((t) =>
          t.variants.map((v) => [
            name(t.sequenceId),
            t.stepIndex + 1,
            v.label,
            v.reached,
            v.replied,
            percent(v.replyRate),
            t.summary,
          ]),
        ),
      };
    case 'tasks':
      return {
        fields: [
          'Rep',
          'Due',
          'Done on time',
          'Done late',
          'Skipped',
          'Overdue',
          'Pending',
          'Cancelled',
          'On-time rate',
        ],
        data: a.taskAdherence.map((r) => [
          r.mailbox,
          r.due,
          r.onTime,
          r.late,
          r.skipped,
          r.overdue,
          r.pending,
          r.cancelled,
          percent(r.onTimeRate),
        ]),
      };
  }
}

/**
 * One table view as CSV: a header row, counts as numbers, rates as percentages with one decimal, steps
 * numbered from 1 as the builder shows them. Cells that a spreadsheet would run as a formula (a sequence
 * named "=HYPERLINK(...)") are escaped.
 */
export function analyticsCsv(a: Analytics, view: CsvView, labels: CsvLabels = {}): string {
  const name = labels.sequenceName ?? ((id: string) => id);
  return Papa.unparse(table(a, view, name), { escapeFormulae: true, newline: '\r\n' });
}
