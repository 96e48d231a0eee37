import Papa from 'papaparse';
import type { ProcessAnalytics } from '@/lib/contract/process-analytics';
import type { Column } from '../analytics/data-table';

/**
 * Process analytics' tables (process-page.tsx): the columns of each, worded and formatted as the page shows
 * them, and a table as CSV with the same values.
 */

export const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);
const days = (value: number) => `${Math.round(value * 10) / 10} d`;
const when = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface Table<R> {
  id: string;
  title: string;
  hint: string;
  rows: readonly R[];
  key: (row: R) => string;
  columns: Column<R>[];
}

/** A table's rows as CSV, every column as the table shows its value (papaparse quotes what needs quoting). */
export function tableCsv<R>(columns: Column<R>[], rows: readonly R[]): string {
  return Papa.unparse({
    fields: columns.map((c) => c.label),
    data: rows.map((r) => columns.map((c) => c.value(r) ?? '')),
  });
}

const num = <R>(key: string, label: string, value: (r: R) => number): Column<R> => ({
  key,
  label,
  numeric: true,
  value,
});
const text = <R>(key: string, label: string, value: (r: R) => string): Column<R> => ({ key, label, value });
const rate = <R>(key: string, label: string, value: (r: R) => number | null): Column<R> => ({
  key,
  label,
  numeric: true,
  value,
  render: (r) => percent(value(r)),
});

export function tablesOf(a: ProcessAnalytics, stage: (id: string) => string, rule: (id: string) => string) {
  type P = ProcessAnalytics;
  // Skips and overrides carry the deal's id; its name is in the deals live in the range.
  const dealNames = new Map([...a.byDeal, ...a.stalled].map((d) => [d.dealId, d.name]));
  return [
    {
      id: 'reps',
      title: 'Compliance by rep',
      hint: 'Deal-days without an open error flag, out of all deal-days in the range.',
      rows: a.byRep,
      key: (r) => r.ownerId,
      columns: [
        text('rep', 'Rep', (r) => r.ownerId),
        rate('rate', 'Compliance', (r) => r.complianceRate),
        num('deals', 'Deals', (r) => r.deals),
        num('days', 'Deal-days', (r) => r.dealDays),
        num('flags', 'Flags raised', (r) => r.flagsRaised),
        num('skips', 'Skips', (r) => r.skips),
        num('overrides', 'Overrides', (r) => r.overrides),
      ],
    } satisfies Table<P['byRep'][number]>,
    {
      id: 'deals',
      title: 'Compliance by deal',
      hint: 'Each deal live in the range.',
      rows: a.byDeal,
      key: (r) => r.dealId,
      columns: [
        text('deal', 'Deal', (r) => r.name),
        text('rep', 'Rep', (r) => r.ownerId),
        text('stage', 'Stage', (r) => stage(r.stageId)),
        rate('rate', 'Compliance', (r) => r.complianceRate),
        num('days', 'Deal-days', (r) => r.dealDays),
      ],
    } satisfies Table<P['byDeal'][number]>,
    {
      id: 'stages',
      title: 'Time in stage',
      hint: 'Stays that ended in the range.',
      rows: a.timeInStage,
      key: (r) => `${r.pipelineId}/${r.stageId}`,
      columns: [
        text('stage', 'Stage', (r) => stage(r.stageId)),
        num('stays', 'Stays', (r) => r.stays),
        { ...num('avg', 'Average', (r) => r.averageDays), render: (r) => days(r.averageDays) },
      ],
    } satisfies Table<P['timeInStage'][number]>,
    {
      id: 'conversion',
      title: 'Stage-to-stage conversion',
      hint: 'Of the deals that entered a stage in the range, those that moved to the next one before its end.',
      rows: a.conversion,
      key: (r) => `${r.pipelineId}/${r.fromStageId}/${r.toStageId}`,
      columns: [
        text('from', 'From', (r) => stage(r.fromStageId)),
        text('to', 'To', (r) => stage(r.toStageId)),
        num('entered', 'Entered', (r) => r.entered),
        num('moved', 'Moved', (r) => r.moved),
        rate('rate', 'Conversion', (r) => r.rate),
      ],
    } satisfies Table<P['conversion'][number]>,
    {
      id: 'rules',
      title: 'Most triggered rules',
      hint: 'Flags raised in the range.',
      rows: a.topRules,
      key: (r) => r.ruleId,
      columns: [
        text('rule', 'Rule', (r) => rule(r.ruleId)),
        text('severity', 'Severity', (r) => r.severity),
        num('raised', 'Raised', (r) => r.raised),
        num('deals', 'Deals', (r) => r.deals),
      ],
    } satisfies Table<P['topRules'][number]>,
    {
      id: 'stalled',
      title: 'Stalled deals',
      hint: 'Open at the range’s end, in one stage for longer than the threshold.',
      rows: a.stalled,
      key: (r) => r.dealId,
      columns: [
        text('deal', 'Deal', (r) => r.name),
        text('rep', 'Rep', (r) => r.ownerId),
        text('stage', 'Stage', (r) => stage(r.stageId)),
        num('days', 'Days in stage', (r) => r.days),
      ],
    } satisfies Table<P['stalled'][number]>,
    {
      id: 'skips',
      title: 'Skipped criteria and overrides',
      hint: 'Moves past unmet exit criteria: warned skips, and a manager’s overrides with their reason.',
      rows: a.skipsAndOverrides,
      key: (r) => r.eventId,
      columns: [
        text('at', 'Date', (r) => when(r.at)),
        text('kind', 'Kind', (r) => (r.kind === 'override' ? 'Override' : 'Skip')),
        text('deal', 'Deal', (r) => dealNames.get(r.dealId) ?? r.dealId),
        text('move', 'Move', (r) => `${stage(r.stageId)} → ${stage(r.toStageId)}`),
        num('criteria', 'Criteria unmet', (r) => r.criteria),
        text('by', 'By', (r) => r.by),
        text('reason', 'Reason', (r) => r.reason ?? ''),
      ],
    } satisfies Table<P['skipsAndOverrides'][number]>,
  ] as Table<unknown>[];
}

/** The weekly compliance trend (the chart's data as a table). */
export const WEEKLY_COLUMNS: Column<ProcessAnalytics['weekly'][number]>[] = [
  text('week', 'Week of', (w) => w.weekStart),
  rate('rate', 'Compliance', (w) => w.complianceRate),
  num('days', 'Deal-days', (w) => w.dealDays),
  num('flags', 'Flags raised', (w) => w.flagsRaised),
];
