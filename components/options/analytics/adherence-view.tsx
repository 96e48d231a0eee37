import { useMemo } from 'react';
import type { Analytics, TaskAdherenceRow } from '@/lib/analytics/funnel';
import { ChartCanvas, type ChartTheme } from './chart-canvas';
import { DataTable, type Column } from './data-table';
import { count, rateText } from './format';
import type { Labels } from './labels';
import { S } from './strings';
import { ViewSection } from './view-section';

const TOP = 15;
type Key = 'due' | 'onTime' | 'late' | 'skipped' | 'overdue' | 'pending' | 'cancelled';
const COUNTED: { key: Key; label: string }[] = [
  { key: 'due', label: S.due },
  { key: 'onTime', label: S.onTime },
  { key: 'late', label: S.late },
  { key: 'skipped', label: S.skipped },
  { key: 'overdue', label: S.overdue },
  { key: 'pending', label: S.pending },
  { key: 'cancelled', label: S.cancelled },
];
const STACKED: Key[] = ['onTime', 'late', 'skipped', 'overdue'];

interface Props {
  analytics: Analytics;
  labels: Labels;
  onExport: () => void;
}

/** Per rep: tasks due in the range and how they were handled. */
export function AdherenceView({ analytics, labels, onExport }: Props) {
  const rows = analytics.taskAdherence;
  const top = useMemo(() => [...rows].sort((a, b) => b.due - a.due).slice(0, TOP), [rows]);
  const config = useMemo(
    () => (t: ChartTheme) => ({
      type: 'bar' as const,
      data: {
        labels: top.map((r) => labels.rep(r.mailbox)),
        datasets: STACKED.map((key, i) => ({
          label: COUNTED.find((c) => c.key === key)!.label,
          data: top.map((r) => r[key]),
          // on time, late, skipped, overdue: green, amber, grey, red
          backgroundColor: [t.series[2], t.series[3], t.muted, t.series[4]][i],
        })),
      },
      options: {
        indexAxis: 'y' as const,
        animation: false as const,
        maintainAspectRatio: false,
        color: t.fg,
        plugins: { legend: { position: 'top' as const, align: 'end' as const } },
        scales: {
          x: { stacked: true, beginAtZero: true, grid: { color: t.line } },
          y: { stacked: true, grid: { display: false } },
        },
      },
    }),
    [top, labels],
  );
  const columns = useMemo<Column<TaskAdherenceRow>[]>(
    () => [
      { key: 'rep', label: S.repColumn, value: (r) => labels.rep(r.mailbox) },
      ...COUNTED.map(({ key, label }): Column<TaskAdherenceRow> => ({
        key,
        label,
        numeric: true,
        value: (r) => r[key],
        render: (r) => count(r[key]),
      })),
      {
        key: 'onTimeRate',
        label: S.onTimeRate,
        numeric: true,
        value: (r) => r.onTimeRate,
        render: (r) => rateText(r.onTimeRate),
      },
    ],
    [labels],
  );
  const label = `${S.tasksTitle}: ${top
    .map(
      (r) =>
        `${labels.rep(r.mailbox)} ${r.onTime} on time, ${r.late} late, ${r.skipped} skipped, ${r.overdue} overdue`,
    )
    .join('; ')}`;
  const hint = rows.length > TOP ? `${S.tasksHint} ${S.topTaskReps(TOP)}` : S.tasksHint;
  return (
    <ViewSection
      id="tasks"
      title={S.tasksTitle}
      hint={hint}
      onExport={onExport}
      chart={
        rows.length > 0 ? (
          <ChartCanvas label={label} height={80 + top.length * 32} config={config} />
        ) : undefined
      }
      table={
        rows.length === 0 ? (
          <p className="tla-muted">{S.tasksNone}</p>
        ) : (
          <DataTable caption={S.tasksTitle} columns={columns} rows={rows} rowKey={(r) => r.mailbox} />
        )
      }
    />
  );
}
