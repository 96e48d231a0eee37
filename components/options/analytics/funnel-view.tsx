import { useId, useMemo, useState } from 'react';
import { COUNTS, type CountKey, type RateKey } from '@/lib/analytics/definitions';
import type { Analytics, FunnelRow, SequenceRow } from '@/lib/analytics/funnel';
import { barLabels, ChartCanvas, type ChartTheme } from './chart-canvas';
import { DataTable } from './data-table';
import { funnelColumns } from './funnel-columns';
import { count, rateText } from './format';
import type { Labels } from './labels';
import { S } from './strings';
import { ViewSection } from './view-section';

/** The stages, in contacts; each engagement stage with its rate among reached contacts. */
const STAGES: { key: CountKey; rate?: RateKey }[] = [
  { key: 'enrolled' },
  { key: 'contacted' },
  { key: 'openedHuman', rate: 'openRate' },
  { key: 'clicked', rate: 'clickRate' },
  { key: 'replied', rate: 'replyRate' },
  { key: 'meetings', rate: 'meetingRate' },
];
const BESIDE: { key: CountKey; rate?: RateKey; label?: string }[] = [
  { key: 'sent', label: S.emailsSent },
  { key: 'bounced', rate: 'bounceRate' },
  { key: 'unsubscribed', rate: 'unsubscribeRate' },
  { key: 'outOfOffice', rate: 'outOfOfficeRate' },
  { key: 'openedAll', rate: 'openRateAll', label: S.machineOpens },
];

const stageLabel = (key: CountKey) => COUNTS[key].label + (COUNTS[key].estimate ? ` (${S.estimate})` : '');

function funnelConfig(row: FunnelRow) {
  return (t: ChartTheme) => ({
    type: 'bar' as const,
    data: {
      labels: STAGES.map((s) => stageLabel(s.key)),
      datasets: [
        {
          label: 'Contacts',
          data: STAGES.map((s) => row.counts[s.key]),
          backgroundColor: STAGES.map((_, i) => t.series[0] + (i < 2 ? '' : 'cc')),
          borderRadius: 4,
          barPercentage: 0.8,
        },
      ],
    },
    options: {
      indexAxis: 'y' as const,
      animation: false as const,
      maintainAspectRatio: false,
      color: t.fg,
      layout: { padding: { right: 120 } },
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, grid: { color: t.line } }, y: { grid: { display: false } } },
    },
    plugins: [
      barLabels((_, i) => {
        const stage = STAGES[i]!;
        const n = count(row.counts[stage.key]);
        return stage.rate ? `${n} · ${rateText(row.rates[stage.rate])}` : n;
      }),
    ],
  });
}

interface Props {
  analytics: Analytics;
  labels: Labels;
  onExport: () => void;
}

/** The funnel of all the sequences in the filter, or of one of them; the table has one funnel per sequence. */
export function FunnelView({ analytics, labels, onExport }: Props) {
  const [which, setWhich] = useState('');
  const pickId = useId();
  const row: FunnelRow = analytics.bySequence.find((s) => s.sequenceId === which) ?? analytics.totals;
  const name = which ? labels.sequence(which) : S.allSequences;
  const config = useMemo(() => funnelConfig(row), [row]);
  const columns = useMemo(
    () =>
      funnelColumns<SequenceRow>({
        key: 'sequence',
        label: S.sequenceColumn,
        value: (r) => (r.sequenceId === '\u0000' ? S.allSequencesRow : labels.sequence(r.sequenceId)),
      }),
    [labels],
  );
  const chartLabel =
    `${S.funnelOf(name)}: ` +
    STAGES.map((s) => `${stageLabel(s.key)} ${count(row.counts[s.key])}`).join(', ');
  return (
    <ViewSection
      id="funnel"
      title={S.funnelTitle}
      hint={S.funnelHint}
      onExport={onExport}
      chart={
        <>
          {analytics.bySequence.length > 1 && (
            <div className="row">
              <label htmlFor={pickId}>{S.funnelPick}</label>
              <select id={pickId} value={which} onChange={(e) => setWhich(e.target.value)}>
                <option value="">{S.allSequences}</option>
                {analytics.bySequence.map((s) => (
                  <option key={s.sequenceId} value={s.sequenceId}>
                    {labels.sequence(s.sequenceId)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <ChartCanvas label={chartLabel} height={260} config={config} />
          {row.counts.contacted > row.counts.enrolled && (
            <p className="tla-muted" data-testid="funnel-carried">
              {S.contactedBeforeRange(row.counts.contacted - row.counts.enrolled)}
            </p>
          )}
        </>
      }
      table={
        <DataTable
          caption={S.funnelTitle}
          columns={columns}
          rows={analytics.bySequence}
          rowKey={(r) => r.sequenceId}
          footer={{ sequenceId: '\u0000', ...analytics.totals }}
        />
      }
    >
      <dl className="tla-beside">
        {BESIDE.map(({ key, rate, label }) => (
          <div key={key} title={COUNTS[key].definition}>
            <dt>{label ?? stageLabel(key)}</dt>
            <dd>
              {count(row.counts[key])}
              {rate && <span className="tla-muted"> · {rateText(row.rates[rate])}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </ViewSection>
  );
}
