import { COUNTS, RATES, type CountKey, type RateKey } from '@/lib/analytics/definitions';
import type { FunnelRow } from '@/lib/analytics/funnel';
import type { Column } from './data-table';
import { count, rateText } from './format';
import { S } from './strings';

const estimated = (label: string, estimate?: boolean) => (estimate ? `${label} (${S.estimate})` : label);

export const countColumn = <R extends FunnelRow>(key: CountKey): Column<R> => ({
  key,
  label: estimated(COUNTS[key].label, COUNTS[key].estimate),
  title: COUNTS[key].definition,
  numeric: true,
  value: (r) => r.counts[key],
  render: (r) => count(r.counts[key]),
});

export const rateColumn = <R extends FunnelRow>(key: RateKey): Column<R> => ({
  key,
  label: estimated(RATES[key].label, RATES[key].estimate),
  title: RATES[key].definition,
  numeric: true,
  value: (r) => r.rates[key],
  render: (r) => rateText(r.rates[key]),
});

/** The funnel's columns in the tables (the CSV export has every count and rate). */
const COUNTS_SHOWN: CountKey[] = [
  'enrolled',
  'contacted',
  'sent',
  'openedHuman',
  'clicked',
  'replied',
  'meetings',
  'bounced',
  'unsubscribed',
  'outOfOffice',
  'openedAll',
];
const RATES_SHOWN: RateKey[] = ['openRate', 'replyRate', 'meetingRate', 'bounceRate'];

export const funnelColumns = <R extends FunnelRow>(first: Column<R>): Column<R>[] => [
  first,
  ...COUNTS_SHOWN.map((k) => countColumn<R>(k)),
  ...RATES_SHOWN.map((k) => rateColumn<R>(k)),
];
