import { useMemo } from 'react';
import type { Analytics, RepRow } from '@/lib/analytics/funnel';
import { barLabels, ChartCanvas, type ChartTheme } from './chart-canvas';
import { DataTable } from './data-table';
import { funnelColumns } from './funnel-columns';
import { count } from './format';
import type { Labels } from './labels';
import { S } from './strings';
import { ViewSection } from './view-section';

const TOP = 15;

interface Props {
  analytics: Analytics;
  labels: Labels;
  onExport: () => void;
}

/** Reps ranked by meetings booked, then replies (lib/analytics sorts them so). */
export function RepsView({ analytics, labels, onExport }: Props) {
  const top = useMemo(() => analytics.byRep.slice(0, TOP), [analytics]);
  const config = useMemo(
    () => (t: ChartTheme) => ({
      type: 'bar' as const,
      data: {
        labels: top.map((r) => labels.rep(r.mailbox)),
        datasets: [
          { label: S.replied, data: top.map((r) => r.counts.replied), backgroundColor: t.series[0] },
          {
            label: 'Meetings booked',
            data: top.map((r) => r.counts.meetings),
            backgroundColor: t.series[1],
          },
        ],
      },
      options: {
        indexAxis: 'y' as const,
        animation: false as const,
        maintainAspectRatio: false,
        color: t.fg,
        layout: { padding: { right: 40 } },
        plugins: { legend: { position: 'top' as const, align: 'end' as const } },
        scales: { x: { beginAtZero: true, grid: { color: t.line } }, y: { grid: { display: false } } },
      },
      plugins: [barLabels((d, i) => count(d === 0 ? top[i]!.counts.replied : top[i]!.counts.meetings))],
    }),
    [top, labels],
  );
  const columns = useMemo(
    () =>
      funnelColumns<RepRow>({
        key: 'rep',
        label: S.repColumn,
        value: (r) => labels.rep(r.mailbox),
        render: (r) => <span title={r.mailbox}>{labels.rep(r.mailbox)}</span>,
      }),
    [labels],
  );
  const label = `${S.repsTitle}: ${top
    .map((r) => `${labels.rep(r.mailbox)} ${r.counts.meetings} meetings, ${r.counts.replied} replies`)
    .join('; ')}`;
  return (
    <ViewSection
      id="reps"
      title={S.repsTitle}
      hint={analytics.byRep.length > TOP ? `${S.repsHint} ${S.topReps(TOP)}` : S.repsHint}
      onExport={onExport}
      chart={<ChartCanvas label={label} height={80 + top.length * 36} config={config} />}
      table={
        <DataTable caption={S.repsTitle} columns={columns} rows={analytics.byRep} rowKey={(r) => r.mailbox} />
      }
    />
  );
}
