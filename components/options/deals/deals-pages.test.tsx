import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ThreadlineDb } from '@/lib/db/database';
import type { Deal } from '@/lib/domain/deal';
import type { Playbook } from '@/lib/domain/playbook';
import { createDealsPort, createPlaybooksPort } from '@/lib/options-ports/deals';
import { localProcessSource } from '@/lib/options-ports/process-analytics';
import { defaultPlaybook } from '@/lib/process/default-playbook';
import { DealsBoard } from './deals-board';
import { PlaybooksEditor } from './playbooks-editor';
import { ProcessPage } from './process-page';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const DAY = 86_400_000;
const ME = 'rep@seller.example';

let n = 0;
async function seeded(gate: Playbook['gate']) {
  const db = new ThreadlineDb(`deals-pages-${++n}`);
  await db.meta.put({ key: 'rep', value: { email: ME, timeZone: 'UTC' } });
  await db.playbooks.put({ ...defaultPlaybook(), gate });
  const deal = (id: string, name: string, extra: Partial<Deal> = {}): Deal => ({
    id,
    name,
    companyDomain: `${id}.example`,
    ownerId: ME,
    pipelineId: 'b2b',
    stageId: 'discovery',
    stageEnteredAt: NOW - 40 * DAY,
    contacts: [],
    facts: {},
    threadIds: [],
    status: 'open',
    createdAt: NOW - 40 * DAY,
    updatedAt: NOW - 40 * DAY,
    ...extra,
  });
  await db.deals.bulkPut([
    deal('acme', 'Acme'),
    deal('globex', 'Globex', {
      contacts: [{ contactId: 'c-ada', role: 'champion' }],
      facts: {
        pain: { type: 'yes_no', value: true },
        metrics: { type: 'text', value: 'hours saved' },
      },
    }),
    deal('initech', 'Initech', { ownerId: 'colleague@seller.example' }),
  ]);
  return db;
}

afterEach(cleanup);

async function openMove(name: string, to: string) {
  fireEvent.click(await screen.findByRole('button', { name: `Move ${name}` }));
  fireEvent.change(screen.getByLabelText(`Move ${name} to`), { target: { value: to } });
  fireEvent.click(screen.getByRole('button', { name: 'Move' }));
}

const column = (name: RegExp) => screen.getByRole('listitem', { name });

describe('Deals board', () => {
  it('shows each stage with its deals and their flags, filtered by rep', async () => {
    const db = await seeded('warn');
    render(
      <DealsBoard port={createDealsPort({ db, zone: 'UTC', now: () => NOW, role: async () => undefined })} />,
    );
    const discovery = await screen.findByRole('listitem', { name: /^Discovery, 3 deals/ });
    const acme = within(discovery).getByText('Acme').closest('li')!;
    // The default playbook's rules flag a deal untouched for 40 days with nothing known.
    expect(within(acme).getByRole('list', { name: 'Flags' }).textContent).not.toBe('');
    fireEvent.change(screen.getByLabelText('Rep'), { target: { value: ME } });
    expect(await screen.findByRole('listitem', { name: /^Discovery, 2 deals/ })).toBeTruthy();
  });

  it('warn: moves past unmet criteria from the keyboard control and records the skip', async () => {
    const db = await seeded('warn');
    render(
      <DealsBoard port={createDealsPort({ db, zone: 'UTC', now: () => NOW, role: async () => 'rep' })} />,
    );
    await openMove('Acme', 'qualified');
    await waitFor(() => expect(within(column(/^Qualified, 1 deals/)).getByText('Acme')).toBeTruthy());
    expect(
      screen.getByText(/Moved to Qualified; skipped: The pain is identified; The metrics are known/),
    ).toBeTruthy();
    const history = await db.dealEvents
      .where('[dealId+at]')
      .between(['acme', 0], ['acme', Infinity])
      .toArray();
    expect(history.map((e) => e.kind).sort()).toEqual(['criteria_skipped', 'stage_changed']);
  });

  it('require: a rep is refused with the unmet criteria named, and cannot override', async () => {
    const db = await seeded('require');
    render(
      <DealsBoard port={createDealsPort({ db, zone: 'UTC', now: () => NOW, role: async () => 'rep' })} />,
    );
    await openMove('Acme', 'qualified');
    const refused = await screen.findByTestId('move-refused');
    expect(refused.textContent).toContain('The pain is identified');
    expect(within(refused).queryByRole('button', { name: 'Override and move' })).toBeNull();
    expect((await db.deals.get('acme'))?.stageId).toBe('discovery');
  });

  it('require: a manager is refused first, then overrides with a reason; a met deal moves cleanly', async () => {
    const db = await seeded('require');
    render(
      <DealsBoard port={createDealsPort({ db, zone: 'UTC', now: () => NOW, role: async () => 'manager' })} />,
    );
    await openMove('Globex', 'qualified');
    await waitFor(() => expect(within(column(/^Qualified/)).getByText('Globex')).toBeTruthy());
    await openMove('Acme', 'qualified');
    const refused = await screen.findByTestId('move-refused');
    const override = within(refused).getByRole('button', { name: 'Override and move' }) as HTMLButtonElement;
    expect(override.disabled).toBe(true);
    fireEvent.change(within(refused).getByLabelText('Reason for the override'), {
      target: { value: 'Pain confirmed on the phone' },
    });
    fireEvent.click(override);
    await waitFor(() => expect(within(column(/^Qualified, 2 deals/)).getByText('Acme')).toBeTruthy());
    const events = await db.dealEvents.toArray();
    expect(events.find((e) => e.kind === 'override')).toMatchObject({
      dealId: 'acme',
      by: ME,
      data: {
        reason: 'Pain confirmed on the phone',
        criterionIds: ['discovery-pain', 'discovery-metrics', 'discovery-champion'],
      },
    });
  });
});

describe('Playbooks editor', () => {
  it('a manager changes the gate and a rule in the JSON view, sees the live preview, and saves; a broken rule is named', async () => {
    const db = await seeded('warn');
    render(
      <PlaybooksEditor port={createPlaybooksPort({ db, role: async () => 'manager' })} now={() => NOW} />,
    );
    const rule = await screen.findByTestId('rule-stuck-30-days');
    // Acme and Globex are the rep's (Initech is a colleague's), both 40 days in Discovery.
    expect(within(rule).getByRole('status').textContent).toBe('Flags 2 of your deals: Acme, Globex');
    fireEvent.change(screen.getByLabelText('When exit criteria are unmet'), { target: { value: 'require' } });
    fireEvent.click(within(rule).getByRole('button', { name: 'Edit Stuck in stage as JSON' }));
    const conditions = within(rule).getByRole('textbox', { name: 'Conditions of Stuck in stage' });
    fireEvent.change(conditions, {
      target: { value: '{"op":"and","conditions":[{"type":"fact","key":"no_such_fact","op":"empty"}]}' },
    });
    expect((await screen.findByTestId('playbook-invalid')).textContent).toContain('no fact "no_such_fact"');
    fireEvent.change(conditions, {
      target: { value: '{"op":"and","conditions":[{"type":"fact","key":"pain","op":"empty"}]}' },
    });
    await waitFor(() =>
      expect(within(rule).getByRole('status').textContent).toBe('Flags 1 of your deals: Acme'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save playbook' }));
    await waitFor(() => expect(document.body.textContent).toMatch(/Saved B2B/), { timeout: 5000 });
    expect(screen.queryByRole('alert')).toBeNull();
    const saved = (await db.playbooks.toArray())[0]!;
    expect(saved.gate).toBe('require');
    expect(saved.rules.find((r) => r.id === 'stuck-30-days')?.when).toEqual({
      op: 'and',
      conditions: [{ type: 'fact', key: 'pain', op: 'empty' }],
    });
  });

  it('a manager adds a pipeline as a copy, renames it and saves it beside the first', async () => {
    const db = await seeded('warn');
    render(
      <PlaybooksEditor port={createPlaybooksPort({ db, role: async () => 'manager' })} now={() => NOW} />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'New pipeline' }));
    await waitFor(() =>
      expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('B2B sales (copy)'),
    );
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Partners' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save playbook' }));
    await waitFor(() => expect(document.body.textContent).toMatch(/Saved Partners/), { timeout: 5000 });
    const saved = (await db.playbooks.toArray()).map((p) => [p.pipelineId, p.name]).sort();
    expect(saved).toEqual([
      ['b2b', 'B2B sales'],
      ['b2b_copy', 'Partners'],
    ]);
  });

  it('a rep sees the team’s playbook read-only and cannot save it', async () => {
    const db = await seeded('warn');
    render(<PlaybooksEditor port={createPlaybooksPort({ db, role: async () => 'rep' })} now={() => NOW} />);
    expect(await screen.findByText(/only a manager or an admin can change them/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save playbook' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('Process analytics page', () => {
  it('shows compliance, the tables and exports each as CSV', async () => {
    const db = await seeded('warn');
    await db.dealFlags.put({
      id: 'acme:pain-unknown:1',
      dealId: 'acme',
      ownerId: ME,
      ruleId: 'pain-unknown',
      severity: 'error',
      raisedAt: NOW - 10 * DAY,
      because: [],
    });
    await db.dealEvents.put({
      id: 'globex:skip:1',
      dealId: 'globex',
      at: NOW - 5 * DAY,
      by: ME,
      kind: 'criteria_skipped',
      data: { stageId: 'discovery', toStageId: 'qualified', criterionIds: ['discovery-pain'] },
    });
    const downloads: [string, string][] = [];
    render(
      <ProcessPage
        source={localProcessSource(db, 'UTC')}
        now={() => NOW}
        download={(name, csv) => downloads.push([name, csv])}
      />,
    );
    const kpis = await screen.findByTestId('process-kpis');
    // 3 deals live 30 days each (the last 30 days): Acme flagged on 11 of them.
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: '30' } });
    await waitFor(() => expect(within(screen.getByTestId('process-kpis')).getByText('87.8%')).toBeTruthy());
    expect(kpis).toBeTruthy();
    const rules = screen.getByTestId('view-process-rules');
    fireEvent.click(within(rules).getByRole('button', { name: /Export CSV/ }));
    expect(downloads[0]![0]).toBe('threadline-process-rules-2026-11-08_2026-12-07.csv');
    // Rules by their name in the playbook, not their id.
    expect(within(rules).getByRole('table').textContent).toContain('Pain unknown');
    expect(downloads[0]![1]).toBe('Rule,Severity,Raised,Deals\r\nPain unknown,error,1,1');
    // Skips name their deal, not its id.
    const skips = screen.getByTestId('view-process-skips');
    expect(within(skips).getByRole('table').textContent).toContain('Globex');
    expect(within(skips).getByRole('table').textContent).not.toContain('globex');
  });
});
