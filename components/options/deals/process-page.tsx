import { useEffect, useMemo, useState } from 'react';
import { Temporal } from 'temporal-polyfill';
import type { ProcessAnalytics } from '@/lib/contract/process-analytics';
import type { ProcessAnalyticsSource, ProcessScope } from '@/lib/options-ports/interfaces/deals';
import { ChartCanvas, type ChartTheme } from '../analytics/chart-canvas';
import { DataTable } from '../analytics/data-table';
import { downloadCsv } from '../analytics/download';
import { ANALYTICS_CSS } from '../analytics/styles';
import { ViewSection } from '../analytics/view-section';
import { percent, tableCsv, tablesOf, WEEKLY_COLUMNS } from './process-tables';
import { DEALS_CSS } from './styles';

interface Props {
  source: ProcessAnalyticsSource;
  now?: () => number;
  download?: (filename: string, csv: string) => void;
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
                columns={WEEKLY_COLUMNS}
                rows={answer.weekly}
                rowKey={(w) => w.weekStart}
              />
            }
            onExport={() =>
              download(`threadline-process-trend-${range_}.csv`, tableCsv(WEEKLY_COLUMNS, answer.weekly))
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
