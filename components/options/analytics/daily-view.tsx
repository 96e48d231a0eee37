import { useMemo } from 'react';
import type { Analytics, DayRow } from '@/lib/analytics/funnel';
import { ChartCanvas, type ChartTheme } from './chart-canvas';
import { DataTable, type Column } from './data-table';
import { count } from './format';
import { S } from './strings';
import { ViewSection } from './view-section';

type DayKey = Exclude<keyof DayRow, 'date'>;
/** The daily columns, labelled as the CSV export labels them. */
const COLUMNS: { key: DayKey; label: string }[] = [
  { key: 'enrolled', label: 'Enrolled' },
  { key: 'sent', label: 'Emails sent' },
  { key: 'bounced', label: 'Bounced' },
  { key: 'openedHuman', label: `Opened (${S.estimate})` },
  { key: 'clicked', label: 'Clicked' },
  { key: 'replied', label: 'Replied' },
  { key: 'meetings', label: 'Meetings booked' },
  { key: 'unsubscribed', label: 'Unsubscribed' },
];
const CHARTED: DayKey[] = ['sent', 'openedHuman', 'replied', 'meetings'];

const dayName = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const shortDate = (iso: string) => dayName.format(new Date(`${iso}T00:00:00Z`));

interface Props {
  analytics: Analytics;
  onExport: () => void;
}

export function DailyView({ analytics, onExport }: Props) {
  const days = analytics.daily;
  const config = useMemo(
    () => (t: ChartTheme) => ({
      type: 'line' as const,
      data: {
        labels: days.map((d) => shortDate(d.date)),
        datasets: CHARTED.map((key, i) => ({
          label: COLUMNS.find((c) => c.key === key)!.label,
          data: days.map((d) => d[key]),
          borderColor: t.series[i],
          backgroundColor: t.series[i],
          pointRadius: days.length > 45 ? 0 : 2,
          borderWidth: 2,
          tension: 0.25,
        })),
      },
      options: {
        animation: false as const,
        maintainAspectRatio: false,
        color: t.fg,
        interaction: { mode: 'index' as const, intersect: false },
        plugins: { legend: { position: 'top' as const, align: 'end' as const } },
        scales: {
          x: { grid: { display: false }, ticks: { maxTicksLimit: 10, autoSkip: true } },
          y: { beginAtZero: true, grid: { color: t.line } },
        },
      },
    }),
    [days],
  );
  const columns = useMemo<Column<DayRow>[]>(
    () => [
      { key: 'date', label: S.dateColumn, value: (d) => d.date },
      ...COLUMNS.map(({ key, label }): Column<DayRow> => ({
        key,
        label,
        numeric: true,
        value: (d) => d[key],
        render: (d) => count(d[key]),
      })),
    ],
    [],
  );
  const totals = CHARTED.map(
    (key) => `${COLUMNS.find((c) => c.key === key)!.label} ${count(days.reduce((n, d) => n + d[key], 0))}`,
  );
  return (
    <ViewSection
      id="daily"
      title={S.dailyTitle}
      hint={S.dailyHint}
      onExport={onExport}
      chart={
        <ChartCanvas
          label={`${S.dailyTitle}, ${days.length} days: ${totals.join(', ')}`}
          height={280}
          config={config}
        />
      }
      table={
        <DataTable
          caption={S.dailyTitle}
          columns={columns}
          rows={days}
          rowKey={(d) => d.date}
          pageSize={31}
        />
      }
    />
  );
}
