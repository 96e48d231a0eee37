import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { analyticsCsv, percent } from './csv';
import { computeAnalytics } from './funnel';
import { DAY, HOUR, history } from '../../tests/support/analytics-history';

const T0 = Date.UTC(2025, 2, 3, 9);
const range = { from: Date.UTC(2025, 2, 3), to: Date.UTC(2025, 2, 5) };

function analytics() {
  const h = history();
  h.enrollment('a')
    .sent(T0, 0, 0)
    .replied(T0 + HOUR);
  h.enrollment('b').sent(T0, 0, 1);
  h.enrollment('c')
    .sent(T0, 0, 1)
    .sent(T0 + DAY, 1);
  h.enrollment('d')
    .taskCreated(T0, 1, T0 + HOUR)
    .taskCompleted(T0 + 2 * HOUR, 1, T0 + HOUR);
  return computeAnalytics(h.events, range, { timeZone: 'UTC' });
}
const rows = (csv: string) => csv.split('\r\n').map((line) => line.split(','));

describe('CSV export', () => {
  it('writes the funnel with a header, counts as numbers and rates as percentages', () => {
    const [header, sequence, total] = rows(
      analyticsCsv(analytics(), 'funnel', { sequenceName: () => 'Q1 outreach' }),
    );
    expect(header!.slice(0, 5)).toEqual(['Sequence', 'Enrolled', 'Contacted', 'Reached', 'Sent']);
    expect(header).toContain('Opened (estimate)');
    expect(sequence!.slice(0, 5)).toEqual(['Q1 outreach', '0', '3', '3', '4']);
    expect(sequence![header!.indexOf('Reply rate')]).toBe('33.3%');
    expect(total![0]).toBe('All sequences');
  });

  it('leaves a rate with no denominator empty', () => {
    expect(percent(null)).toBe('');
    expect(percent(0)).toBe('0.0%');
    expect(percent(2 / 3)).toBe('66.7%');
  });

  it('writes every view', () => {
    const a = analytics();
    expect(rows(analyticsCsv(a, 'steps')).map((r) => r.slice(0, 2))).toEqual([
      ['Sequence', 'Step'],
      ['seq-1', '1'],
      ['seq-1', '2'],
    ]);
    expect(rows(analyticsCsv(a, 'reps'))[1]![0]).toBe('ann@acme.test');
    expect(rows(analyticsCsv(a, 'daily')).map((r) => r.slice(0, 3))).toEqual([
      ['Date', 'Enrolled', 'Sent'],
      ['2025-03-03', '0', '3'],
      ['2025-03-04', '0', '1'],
    ]);
    expect(
      rows(analyticsCsv(a, 'abTests'))
        .slice(1)
        .map((r) => r.slice(2, 6)),
    ).toEqual([
      ['A', '1', '1', '100.0%'],
      ['B', '2', '0', '0.0%'],
    ]);
    expect(rows(analyticsCsv(a, 'tasks'))[1]).toEqual([
      'ann@acme.test',
      '1',
      '1',
      '0',
      '0',
      '0',
      '0',
      '0',
      '100.0%',
    ]);
  });

  it('keeps a sequence name that looks like a formula from running in a spreadsheet', () => {
    const csv = analyticsCsv(analytics(), 'funnel', { sequenceName: () => '=HYPERLINK("http://x","y"), z' });
    const parsed = (Papa as unknown as { parse: (s: string) => { data: string[][] } }).parse(csv);
    expect(parsed.data[1]![0]).toBe(`'=HYPERLINK("http://x","y"), z`);
  });
});
