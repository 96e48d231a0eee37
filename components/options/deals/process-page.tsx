import Papa from 'papaparse';
import { useEffect, useMemo, useState } from 'react';
import { Temporal } from 'temporal-polyfill';
import type { ProcessAnalytics } from '@/lib/contract/process-analytics';
import type { ProcessAnalyticsSource, ProcessScope } from '@/lib/options-ports/interfaces/deals';
import { ChartCanvas, type ChartTheme } from '../analytics/chart-canvas';
import { DataTable, type Column } from '../analytics/data-table';
import { downloadCsv } from '../analytics/download';
import { ANALYTICS_CSS } from '../analytics/styles';
import { ViewSection } from '../analytics/view-section';
import { DEALS_CSS } from './styles';

interface Props {
  source: ProcessAnalyticsSource;
  now?: () => number;
  download?: (filename: string, csv: string) => void;
}

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);
const days = (value: number) => `${Math.round(value * 10) / 10} d`;
const when = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Table<R> {
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

const num = <R,>(key: string, label: string, value: (r: R) => number): Column<R> => ({
  key,
  label,
  numeric: true,
  value,
});
const text = <R,>(key: string, label: string, value: (r: R) => string): Column<R> => ({ key, label, value });
const rate = <R,>(key: string, label: string, value: (r: R) => number | null): Column<R> => ({
  key,
  label,
  numeric: true,
  value,
  render: (r) => percent(value(r)),
});

function tablesOf(a: ProcessAnalytics, stage: (id: string) => string, rule: (id: string) => string) {
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

/**
 * Process analytics, next to the sequence analytics: compliance (deal-days without an error flag), its weekly
 * trend, time in stage, conversion, the most triggered rules, stalled deals, skips and overrides; each as a
 * table with a CSV export. The numbers come whole from the source: the backend for a manager's team, this
 * device otherwise.
 */
export function ProcessPage({ source, now = Date.now, download = downloadCsv }: Props) {
  const [scope, setScope] = useState<ProcessScope>();
  const [range, setRange] = useState(90);
  const [rep, setRep] = useState('');
  const [answer, setAnswer] = useState<ProcessAnalytics>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    source.scope().then(setScope, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [source]);
  const dates = useMemo(() => {
    if (!scope) return undefined;
    const today = Temporal.Instant.fromEpochMilliseconds(now())
      .toZonedDateTimeISO(scope.timeZone)
      .toPlainDate();
    return { from: today.subtract({ days: range - 1 }).toString(), to: today.toString() };
  }, [scope, range, now]);
  useEffect(() => {
    if (!dates) return;
    let live = true;
    setAnswer(undefined);
    source.load({ ...dates, ...(rep ? { repId: rep } : {}) }).then(
      (a) => live && (setAnswer(a), setError(undefined)),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [source, dates, rep]);

  const trend = useMemo(
    () => (t: ChartTheme) => ({
      type: 'line' as const,
      data: {
        labels: answer?.weekly.map((w) => w.weekStart) ?? [],
        datasets: [
          {
            label: 'Compliance %',
            data:
              answer?.weekly.map((w) => (w.complianceRate === null ? null : w.complianceRate * 100)) ?? [],
            borderColor: t.series[0],
            backgroundColor: t.series[0],
            yAxisID: 'y',
            tension: 0.25,
          },
          {
            label: 'Flags raised',
            data: answer?.weekly.map((w) => w.flagsRaised) ?? [],
            borderColor: t.series[3],
            backgroundColor: t.series[3],
            yAxisID: 'y1',
            tension: 0.25,
          },
        ],
      },
      options: {
        animation: false as const,
        maintainAspectRatio: false,
        color: t.fg,
        interaction: { mode: 'index' as const, intersect: false },
        scales: {
          y: { min: 0, max: 100, grid: { color: t.line } },
          y1: { beginAtZero: true, position: 'right' as const, grid: { display: false } },
        },
      },
    }),
    [answer],
  );
  const weeklyColumns: Column<ProcessAnalytics['weekly'][number]>[] = [
    text('week', 'Week of', (w) => w.weekStart),
    rate('rate', 'Compliance', (w) => w.complianceRate),
    num('days', 'Deal-days', (w) => w.dealDays),
    num('flags', 'Flags raised', (w) => w.flagsRaised),
  ];
  const range_ = dates ? `${dates.from}_${dates.to}` : '';

  return (
    <div className="tla-page tlp-process">
      <style>{ANALYTICS_CSS + DEALS_CSS}</style>
      <div className="tla-title">
        <h1>Process analytics</h1>
        {scope && (
          <p className="hint">
            {scope.scope === 'team'
              ? 'Your team’s deals, from the team backend.'
              : 'The deals on this device.'}
          </p>
        )}
      </div>
      <div className="row">
        <label>
          Range
          <select value={range} onChange={(e) => setRange(Number(e.target.value))}>
            {[30, 90, 180, 365].map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
        </label>
        {scope && scope.reps.length > 1 && (
          <label>
            Rep
            <select value={rep} onChange={(e) => setRep(e.target.value)}>
              <option value="">Everyone</option>
              {scope.reps.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : !answer ? (
        <p role="status" aria-busy="true">
          Loading…
        </p>
      ) : (
        <div className="tla-views">
          <div className="tlp-kpis" data-testid="process-kpis">
            <div>
              <span className="hint">Compliance</span>
              <strong>{percent(answer.totals.complianceRate)}</strong>
            </div>
            <div>
              <span className="hint">Deals</span>
              <strong>{answer.totals.deals}</strong>
            </div>
            <div>
              <span className="hint">Flags raised</span>
              <strong>{answer.totals.flagsRaised}</strong>
            </div>
            <div>
              <span className="hint">Skips</span>
              <strong>{answer.totals.skips}</strong>
            </div>
            <div>
              <span className="hint">Overrides</span>
              <strong>{answer.totals.overrides}</strong>
            </div>
          </div>
          <ViewSection
            id="process-trend"
            title="Weekly trend"
            hint="Compliance and flags raised per week of the range."
            chart={<ChartCanvas label="Compliance and flags raised per week" height={260} config={trend} />}
            table={
              <DataTable
                caption="Weekly trend"
                columns={weeklyColumns}
                rows={answer.weekly}
                rowKey={(w) => w.weekStart}
              />
            }
            onExport={() =>
              download(`threadline-process-trend-${range_}.csv`, tableCsv(weeklyColumns, answer.weekly))
            }
          />
          {tablesOf(
            answer,
            (id) => scope?.stageNames[id] ?? id,
            // A rule since deleted from the playbooks keeps its id.
            (id) => scope?.ruleNames?.[id] ?? id,
          ).map((t) => (
            <ViewSection
              key={t.id}
              id={`process-${t.id}`}
              title={t.title}
              hint={t.hint}
              table={<DataTable caption={t.title} columns={t.columns} rows={t.rows} rowKey={t.key} />}
              onExport={() =>
                download(`threadline-process-${t.id}-${range_}.csv`, tableCsv(t.columns, t.rows))
              }
            />
          ))}
        </div>
      )}
    </div>
  );
}
