import { COUNTS, RATES } from '@/lib/analytics/definitions';
import type { Analytics } from '@/lib/analytics/funnel';
import { count, rateText } from './format';
import { S } from './strings';

/** The headline numbers of the filter, each with its definition as a tooltip. */
export function KpiStrip({ analytics }: { analytics: Analytics }) {
  const { counts, rates } = analytics.totals;
  const kpis = [
    {
      key: 'enrolled',
      label: COUNTS.enrolled.label,
      value: count(counts.enrolled),
      title: COUNTS.enrolled.definition,
    },
    { key: 'sent', label: S.emailsSent, value: count(counts.sent), title: COUNTS.sent.definition },
    {
      key: 'openRate',
      label: `${RATES.openRate.label} (${S.estimate})`,
      value: rateText(rates.openRate),
      title: RATES.openRate.definition,
    },
    {
      key: 'replyRate',
      label: RATES.replyRate.label,
      value: rateText(rates.replyRate),
      title: RATES.replyRate.definition,
    },
    {
      key: 'meetings',
      label: COUNTS.meetings.label,
      value: count(counts.meetings),
      title: COUNTS.meetings.definition,
    },
  ];
  return (
    <ul className="tla-kpis" aria-label={S.kpis}>
      {kpis.map((k) => (
        <li key={k.key} title={k.title} data-testid={`kpi-${k.key}`}>
          <span className="tla-kpi-value">{k.value}</span>
          <span className="tla-kpi-label">{k.label}</span>
        </li>
      ))}
    </ul>
  );
}
