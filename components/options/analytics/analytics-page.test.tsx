import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyticsCsv } from '@/lib/analytics/csv';
import { computeAnalytics, type Analytics, type AnalyticsFilter } from '@/lib/analytics/funnel';
import { seriousViolations } from '@/components/testing/axe';
import { AnalyticsPage } from './analytics-page';
import { SAMPLE_REPS, SAMPLE_SEQUENCES, sampleEvents } from './sample-data';
import type { AnalyticsCatalog, AnalyticsSource } from '../../../lib/options-ports/interfaces/analytics';

/** 14:00 UTC on Friday 15 May 2026. */
const NOW = Date.UTC(2026, 4, 15, 14);
const EVENTS = sampleEvents({ end: NOW, days: 30, contacts: 400 });
const CATALOG: AnalyticsCatalog = {
  scope: 'team',
  timeZone: 'Europe/Paris',
  sequences: SAMPLE_SEQUENCES.map((s) => ({ id: s.id, name: s.name, steps: s.steps })),
  reps: SAMPLE_REPS,
  hasData: true,
};

function source(overrides: Partial<AnalyticsSource> = {}) {
  const load = vi.fn(async (f: AnalyticsFilter) =>
    computeAnalytics(EVENTS, f, { timeZone: CATALOG.timeZone }),
  );
  return { catalog: vi.fn(async () => CATALOG), load, ...overrides };
}

function renderPage(rest: string[] = [], src: AnalyticsSource = source()) {
  const navigate = vi.fn();
  const download = vi.fn();
  const utils = render(
    <AnalyticsPage source={src} rest={rest} navigate={navigate} now={() => NOW} download={download} />,
  );
  return { ...utils, navigate, download, src };
}

const expected = (filter: AnalyticsFilter): Analytics =>
  computeAnalytics(EVENTS, filter, { timeZone: CATALOG.timeZone });
const last30: AnalyticsFilter = { from: Date.UTC(2026, 3, 15, 22), to: Date.UTC(2026, 4, 15, 22) };
const fmt = (n: number) => n.toLocaleString('en');
const section = (id: string) => screen.getByTestId(`view-${id}`);
const showTable = (id: string) => fireEvent.click(within(section(id)).getByRole('button', { name: 'Table' }));
const bodyRows = (id: string) => within(section(id)).getAllByRole('row').slice(1);

afterEach(cleanup);

describe('the analytics page', () => {
  it('loads the last 30 days on the rep’s clock and shows the headline numbers lib/analytics computed', async () => {
    const { src } = renderPage();
    expect(screen.getByText('Loading analytics…')).toBeTruthy();
    const a = expected(last30);
    await waitFor(() =>
      expect(screen.getByTestId('kpi-enrolled').textContent).toContain(fmt(a.totals.counts.enrolled)),
    );
    expect(src.load).toHaveBeenCalledWith(last30);
    expect(screen.getByTestId('kpi-sent').textContent).toContain(fmt(a.totals.counts.sent));
    expect(screen.getByTestId('kpi-meetings').textContent).toContain(fmt(a.totals.counts.meetings));
    expect(screen.getByTestId('kpi-openRate').textContent).toContain('Open rate (estimate)');
    expect(screen.getByText('2026-04-16 to 2026-05-15 (Europe/Paris)')).toBeTruthy();
  });

  it('shows one funnel row per sequence by name, the totals below, and opens as estimates', async () => {
    renderPage();
    await screen.findByTestId('view-funnel');
    const a = expected(last30);
    showTable('funnel');
    const table = within(section('funnel')).getByRole('table');
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toContain('Opened (estimate)');
    expect(headers).toContain('Opened (all) (estimate)');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(1 + a.bySequence.length + 1);
    const inbound = rows.find((r) => r.textContent?.startsWith('Inbound demo requests'))!;
    const row = a.bySequence.find((s) => s.sequenceId === 'seq-inbound')!;
    const cells = within(inbound)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells[0]).toBe(fmt(row.counts.enrolled));
    expect(cells[5]).toBe(fmt(row.counts.replied));
    expect(rows.at(-1)!.textContent).toContain('All sequences');
    expect(within(section('funnel')).getByText('Opened incl. machine opens (estimate)')).toBeTruthy();
  });

  it('explains a funnel whose Contacted exceeds Enrolled (contacts enrolled before the range)', async () => {
    // The sample's last 30 days: some contacts emailed in them were enrolled before.
    const a = expected(last30);
    const before = a.totals.counts.contacted - a.totals.counts.enrolled;
    expect(before).toBeGreaterThan(1);
    renderPage();
    await screen.findByTestId('view-funnel');
    expect(screen.getByTestId('funnel-carried').textContent).toBe(
      `Contacted is higher than Enrolled: ${before} contacts enrolled before this range were emailed in it.`,
    );
    cleanup();
    const even: Analytics = {
      ...a,
      totals: { ...a.totals, counts: { ...a.totals.counts, contacted: a.totals.counts.enrolled } },
    };
    renderPage([], source({ load: vi.fn(async () => even) }));
    await screen.findByTestId('view-funnel');
    expect(screen.queryByTestId('funnel-carried')).toBeNull();
  });

  it('lists every step with its kind, numbered from 1, a page at a time', async () => {
    renderPage();
    await screen.findByTestId('view-steps');
    const a = expected(last30);
    const kinds = { auto_email: 'Email', call: 'Call', linkedin: 'LinkedIn', todo: 'To-do' };
    const label = (sequenceId: string, i: number) =>
      `Step ${i + 1} · ${kinds[SAMPLE_SEQUENCES.find((s) => s.id === sequenceId)!.steps[i]!]}`;
    const rows = bodyRows('steps');
    expect(a.byStep.length).toBeGreaterThan(3);
    expect(rows.map((r) => r.children[1]!.textContent)).toEqual(
      a.byStep.slice(0, 20).map((r) => label(r.sequenceId, r.stepIndex)),
    );
    const repliedIndex = within(section('steps'))
      .getAllByRole('columnheader')
      .findIndex((h) => h.textContent?.startsWith('Replied'));
    expect(rows[2]!.children[repliedIndex]!.textContent).toBe(fmt(a.byStep[2]!.counts.replied));
  });

  it('ranks reps by meetings booked, by name, and re-sorts when a column is clicked', async () => {
    renderPage();
    await screen.findByTestId('view-reps');
    const a = expected(last30);
    showTable('reps');
    const names = () => bodyRows('reps').map((r) => r.children[0]!.textContent);
    const name = (mailbox: string) => SAMPLE_REPS.find((r) => r.mailbox === mailbox)!.name;
    expect(names()).toEqual(a.byRep.map((r) => name(r.mailbox)));
    fireEvent.click(within(section('reps')).getByRole('button', { name: /^Enrolled/ }));
    const byEnrolled = [...a.byRep].sort((x, y) => y.counts.enrolled - x.counts.enrolled);
    expect(names()).toEqual(byEnrolled.map((r) => name(r.mailbox)));
  });

  it('has a daily table with one row per day of the range', async () => {
    renderPage(['days', '7']);
    await screen.findByTestId('view-daily');
    showTable('daily');
    const a = expected({ from: Date.UTC(2026, 4, 8, 22), to: last30.to });
    const rows = bodyRows('daily');
    expect(rows.map((r) => r.children[0]!.textContent)).toEqual(a.daily.map((d) => d.date));
    expect(rows[0]!.children[2]!.textContent).toBe(fmt(a.daily[0]!.sent));
  });

  it('shows each A/B test with its reply rates and how confident the difference is', async () => {
    renderPage();
    const card = await screen.findByRole('article', { name: 'Inbound demo requests · Step 1 · Email' });
    const test = expected(last30).abTests[0]!;
    expect(within(card).getAllByRole('row')).toHaveLength(1 + test.variants.length);
    const verdict = test.summary === 'not enough data yet' ? 'Not enough data yet' : test.summary;
    expect(within(card).getByText(verdict)).toBeTruthy();
    expect(within(card).getByText(/p = .* \((Fisher’s exact test|z-test)\)/)).toBeTruthy();
  });

  it('shows task adherence per rep: on time, late, skipped and overdue', async () => {
    renderPage();
    await screen.findByTestId('view-tasks');
    showTable('tasks');
    const a = expected(last30);
    const rows = bodyRows('tasks');
    expect(rows).toHaveLength(a.taskAdherence.length);
    const first = a.taskAdherence[0]!;
    const cells = [...rows[0]!.children].map((c) => c.textContent);
    expect(cells).toEqual([
      SAMPLE_REPS.find((r) => r.mailbox === first.mailbox)!.name,
      ...[
        first.due,
        first.onTime,
        first.late,
        first.skipped,
        first.overdue,
        first.pending,
        first.cancelled,
      ].map(fmt),
      first.onTimeRate === null ? '—' : `${(first.onTimeRate * 100).toFixed(1)}%`,
    ]);
  });

  it('exports a view as the CSV lib/analytics writes, with sequence names and the range in the file name', async () => {
    const { download } = renderPage();
    await screen.findByTestId('view-funnel');
    fireEvent.click(within(section('funnel')).getByRole('button', { name: 'Export CSV (Funnel)' }));
    const names = new Map(SAMPLE_SEQUENCES.map((s) => [s.id, s.name]));
    expect(download).toHaveBeenCalledWith(
      'threadline-funnel-2026-04-16_2026-05-15.csv',
      analyticsCsv(expected(last30), 'funnel', { sequenceName: (id) => names.get(id) ?? id }),
    );
    const csv = download.mock.calls[0]![1] as string;
    expect(csv.split('\r\n')[1]).toMatch(/^Inbound demo requests,\d+/);
    fireEvent.click(within(section('tasks')).getByRole('button', { name: 'Export CSV (Task adherence)' }));
    expect(download.mock.calls[1]![1]).toMatch(/^Rep,Due,Done on time,Done late,Skipped,Overdue/);
  });

  it('has no serious accessibility violations, in chart and table views', async () => {
    const { container } = renderPage();
    await screen.findByTestId('view-funnel');
    expect(await seriousViolations(container)).toEqual([]);
    for (const id of ['funnel', 'daily', 'reps', 'tasks']) showTable(id);
    expect(await seriousViolations(container)).toEqual([]);
  });
});

describe('the filters', () => {
  it('read the route: a sequence, a rep and a step narrow what is loaded', async () => {
    const { src } = renderPage([
      'days',
      '90',
      'sequence',
      'seq-inbound',
      'rep',
      'ada@seller.example',
      'step',
      '2',
    ]);
    await screen.findByTestId('view-funnel');
    expect(src.load).toHaveBeenLastCalledWith({
      from: Date.UTC(2026, 1, 14, 23),
      to: last30.to,
      sequenceIds: ['seq-inbound'],
      mailboxes: ['ada@seller.example'],
      stepIndexes: [1],
    });
    expect((screen.getByLabelText('Date range') as HTMLSelectElement).value).toBe('90');
    expect((screen.getByLabelText('Step') as HTMLSelectElement).selectedOptions[0]!.textContent).toBe(
      'Step 2 · Call',
    );
  });

  it('write every change to the hash so the view can be bookmarked', async () => {
    const { navigate } = renderPage(['days', '7']);
    await screen.findByTestId('view-funnel');
    fireEvent.change(screen.getByLabelText('Sequence'), { target: { value: 'seq-renewal' } });
    expect(navigate).toHaveBeenLastCalledWith('#/analytics/days/7/sequence/seq-renewal');
    fireEvent.change(screen.getByLabelText('Rep'), { target: { value: 'ben@seller.example' } });
    expect(navigate).toHaveBeenLastCalledWith('#/analytics/days/7/rep/ben%40seller.example');
    fireEvent.change(screen.getByLabelText('Date range'), { target: { value: '30' } });
    expect(navigate).toHaveBeenLastCalledWith('#/analytics');
  });

  it('take a custom range of whole days', async () => {
    const { navigate } = renderPage();
    await screen.findByTestId('view-funnel');
    fireEvent.change(screen.getByLabelText('Date range'), { target: { value: 'custom' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-05-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-05-10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(navigate).toHaveBeenLastCalledWith('#/analytics/from/2026-05-01/to/2026-05-10');
  });

  it('offer to clear them when they exclude everything', async () => {
    const { navigate } = renderPage(['sequence', 'seq-gone']);
    expect(await screen.findByText('Nothing matches these filters')).toBeTruthy();
    const clear = screen.getAllByRole('button', { name: 'Clear filters' });
    fireEvent.click(clear.at(-1)!);
    expect(navigate).toHaveBeenLastCalledWith('#/analytics');
  });
});

describe('the states around the numbers', () => {
  it('says how to get results when nothing has happened yet', async () => {
    const { container } = renderPage([], source({ catalog: async () => ({ ...CATALOG, hasData: false }) }));
    expect(
      await screen.findByText(
        'Enroll contacts from a thread in Gmail or Outlook; results appear here as emails go out.',
      ),
    ).toBeTruthy();
    expect(screen.queryByLabelText('Date range')).toBeNull();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('offers a longer range when the last 30 days are empty', async () => {
    const empty = computeAnalytics([], last30, { timeZone: 'UTC' });
    const { navigate } = renderPage([], source({ load: async () => empty }));
    expect(await screen.findByText('Nothing in the last 30 days')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show the last 90 days' }));
    expect(navigate).toHaveBeenLastCalledWith('#/analytics/days/90');
  });

  it('shows the source’s error plainly and loads again on Retry', async () => {
    const ok = source();
    const load = vi
      .fn<AnalyticsSource['load']>()
      .mockRejectedValueOnce(new Error('The analytics server answered 503'))
      .mockImplementation(ok.load);
    renderPage([], { ...ok, load });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The analytics server answered 503');
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('view-funnel')).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('says the local view covers the rep’s own results only', async () => {
    renderPage([], source({ catalog: async () => ({ ...CATALOG, scope: 'own' }) }));
    expect(await screen.findByText(/Your own results, from this device/)).toBeTruthy();
  });
});
