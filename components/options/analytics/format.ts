import { percent } from '@/lib/analytics/csv';
import { S } from './strings';

const integer = new Intl.NumberFormat('en');

export const count = (n: number): string => integer.format(n);

/** A rate as the CSV writes it ("23.4%"), or a dash with "no data" for an empty denominator. */
export const rateText = (rate: number | null): string => (rate === null ? '—' : percent(rate));
export const rateLabel = (rate: number | null): string => (rate === null ? S.noRate : percent(rate));
