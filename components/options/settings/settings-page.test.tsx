import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { seriousViolations } from '@/components/testing/axe';
import { createSettingsPort } from '@/lib/options-ports/settings-port';
import type { Runtime } from '@/lib/protocol/endpoints';
import { enrollContacts } from '@/lib/runner/enroll';
import { addSequence, createTestRunner, emailStep } from '@/lib/runner/testing';
import { SettingsPage } from './settings-page';

const NOW = Date.parse('2026-03-02T10:00:00Z');

function fakeRuntime() {
  let accounts = [
    { provider: 'gmail', mailbox: 'rep@seller.example', connectedAt: NOW - 86_400_000, dailyLimit: 2000 },
  ];
  const runtime: Runtime = {
    id: 'ext',
    onMessage: { addListener: () => undefined },
    sendMessage: async (m) => {
      const { name, request } = m as { name: string; request: { mailbox?: string } };
      if (name === 'accounts.list') return { ok: true, data: accounts };
      if (name === 'accounts.disconnect') accounts = accounts.filter((a) => a.mailbox !== request.mailbox);
      return { ok: true, data: { ok: true } };
    },
  };
  return runtime;
}

async function renderPage(rest: string[] = []) {
  const t = createTestRunner({ now: NOW });
  const runtime = fakeRuntime();
  const saved: { name: string; text: string }[] = [];
  const port = createSettingsPort({
    db: t.db,
    runtime,
    alarm: t.deps.alarm,
    zone: 'Europe/London',
    now: () => t.clock.now,
  });
  const view = render(
    <SettingsPage
      port={port}
      runtime={runtime}
      rest={rest}
      save={(name, text) => saved.push({ name, text })}
      now={() => t.clock.now}
    />,
  );
  await screen.findByTestId('account-mailbox');
  return { ...t, saved, view };
}

const section = (name: string) => screen.getByRole('region', { name });
const upload = (input: HTMLElement, text: string, name = 'contacts.csv') =>
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/csv' })] } });

afterEach(cleanup);

describe('the Settings page', () => {
  it('lists every section in its table of contents, Mailboxes first, with no serious accessibility problem', async () => {
    const { view } = await renderPage(['holidays']);
    const toc = screen.getByRole('navigation', { name: 'On this page' });
    expect(
      within(toc)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual([
      'Mailboxes',
      'Your defaults',
      'Holiday calendar',
      'Unsubscribe link',
      'Do-not-contact list',
      'Import contacts',
      'Your data',
    ]);
    expect(within(toc).getByRole('link', { name: 'Holiday calendar' }).getAttribute('href')).toBe(
      '#/settings/holidays',
    );
    expect(within(toc).getByRole('link', { name: 'Holiday calendar' }).getAttribute('aria-current')).toBe(
      'location',
    );
    await screen.findByLabelText('Your name');
    expect(await seriousViolations(view.container)).toEqual([]);
  });

  it('shows each mailbox with its daily limit and when it was connected, on the rep’s clock', async () => {
    await renderPage();
    expect(screen.getByTestId('account-limits').textContent).toBe(
      'up to 2,000 emails a day · connected 1 Mar 2026, 10:00',
    );
  });

  it('makes room for the sign-in and sync section right after Mailboxes', async () => {
    const t = createTestRunner({ now: NOW });
    const port = createSettingsPort({ db: t.db, runtime: fakeRuntime(), alarm: t.deps.alarm, zone: 'UTC' });
    render(<SettingsPage port={port} runtime={fakeRuntime()} backend={<p>backend here</p>} />);
    expect(screen.getByRole('link', { name: 'Team & sync' }).getAttribute('href')).toBe('#/settings/backend');
    expect(screen.getByText('backend here').closest('#settings-backend')).toBeTruthy();
  });
});

describe('your defaults', () => {
  it('saves name, email, time zone, signature and the new-sequence settings', async () => {
    const t = await renderPage();
    const s = section('Your defaults');
    fireEvent.change(await within(s).findByLabelText('Your name'), { target: { value: 'Sam Rep' } });
    fireEvent.change(within(s).getByLabelText('Your email'), { target: { value: 'sam@seller.example' } });
    fireEvent.change(within(s).getByLabelText('Your time zone'), { target: { value: 'America/Chicago' } });
    fireEvent.change(within(s).getByLabelText('Signature'), { target: { value: 'Sam — Acme' } });
    fireEvent.change(within(s).getByLabelText('Send from'), { target: { value: '09:30' } });
    fireEvent.change(within(s).getByLabelText('Emails a day, at most'), { target: { value: '150' } });
    fireEvent.click(within(s).getByRole('button', { name: 'Save defaults' }));
    expect((await within(s).findByRole('status')).textContent).toBe('Saved');
    expect((await t.db.meta.get('rep'))?.value).toEqual({
      name: 'Sam Rep',
      email: 'sam@seller.example',
      timeZone: 'America/Chicago',
      signature: 'Sam — Acme',
    });
    expect((await t.db.meta.get('sequenceDefaults'))?.value).toMatchObject({
      sendWindow: { start: '09:30', end: '18:00' },
      dailySendCap: 150,
    });
  });

  it('offers the IANA zones to search and names a wrong one when saving', async () => {
    await renderPage();
    const s = section('Your defaults');
    const zone = await within(s).findByLabelText('Your time zone');
    const options = [...s.querySelectorAll(`#${zone.getAttribute('list')} option`)].map((o) =>
      o.getAttribute('value'),
    );
    expect(options).toContain('Europe/Berlin');
    fireEvent.change(within(s).getByLabelText('Your email'), { target: { value: 'sam@seller.example' } });
    fireEvent.change(zone, { target: { value: 'Berlin' } });
    fireEvent.click(within(s).getByRole('button', { name: 'Save defaults' }));
    expect((await within(s).findByRole('alert')).textContent).toMatch(/timeZone: is not an IANA time zone/);
  });
});

describe('the holiday calendar', () => {
  it('adds and removes team holidays and says which fall on weekdays', async () => {
    const t = await renderPage();
    const s = section('Holiday calendar');
    await within(s).findByText('No holidays yet.');
    for (const day of ['2026-12-25', '2026-12-26']) {
      fireEvent.change(within(s).getByLabelText('Date'), { target: { value: day } });
      fireEvent.click(within(s).getByRole('button', { name: 'Add holiday' }));
      await within(s).findByRole('button', { name: `Remove ${day}` });
    }
    expect(
      within(s)
        .getAllByTestId('holiday')
        .map((li) => li.textContent),
    ).toEqual(['Fri, 25 Dec 2026weekday×', 'Sat, 26 Dec 2026weekend×']);
    expect(within(s).getByText('2 days, 1 on a weekday (those shift sends).')).toBeTruthy();
    fireEvent.click(within(s).getByRole('button', { name: 'Remove 2026-12-26' }));
    await waitFor(() => expect(within(s).getAllByTestId('holiday')).toHaveLength(1));
    expect((await t.db.meta.get('teamHolidays'))?.value).toEqual(['2026-12-25']);
  });
});

describe('the unsubscribe link', () => {
  it('is off until the rep turns it on, and the choice is stored', async () => {
    const t = await renderPage();
    const box = await within(section('Unsubscribe link')).findByRole('checkbox', {
      name: 'Add an unsubscribe link to emails',
    });
    await waitFor(() => expect((box as HTMLInputElement).disabled).toBe(false));
    expect((box as HTMLInputElement).checked).toBe(false);
    fireEvent.click(box);
    await waitFor(() => expect((box as HTMLInputElement).checked).toBe(true));
    expect((await t.db.meta.get('unsubscribeLink'))?.value).toBe(true);
  });
});

describe('the do-not-contact list', () => {
  it('adding an enrolled contact stops their sequence; rejected entries are listed with the reason', async () => {
    const t = await renderPage();
    await addSequence(t.db, { steps: [emailStep('a', { value: 2, unit: 'days' })] });
    const r = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'ada@acme.example' }],
    });
    const s = section('Do-not-contact list');
    await within(s).findByText('Nobody is on the list.');
    fireEvent.change(within(s).getByLabelText('Addresses to add'), {
      target: { value: 'ada@acme.example\nacme.example, oops@' },
    });
    fireEvent.click(within(s).getByRole('button', { name: 'Add to list' }));
    expect((await within(s).findByRole('status')).textContent).toBe(
      'Added 1 address. Stopped 1 active sequence.',
    );
    const rejected = within(s).getByRole('group', { name: 'Not added' });
    expect(
      within(rejected)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'acme.example: whole domains cannot be blocked yet: add each address',
      'oops@: is not a valid email address',
    ]);
    expect((within(s).getByLabelText('Addresses to add') as HTMLTextAreaElement).value).toBe(
      'acme.example\noops@',
    );
    expect(await t.db.enrollments.get(r.enrolled[0]!.enrollmentId)).toMatchObject({ status: 'unenrolled' });
    expect(within(s).getAllByTestId('dnc-entry')[0]!.textContent).toContain('ada@acme.example');
  });

  it('searches, removes, exports, and imports a CSV only when every row is good', async () => {
    const t = await renderPage();
    const s = section('Do-not-contact list');
    await within(s).findByText('Nobody is on the list.');
    upload(within(s).getByLabelText('Import CSV'), 'email\nada@acme.example\nbroken\n', 'dnc.csv');
    expect((await within(s).findByRole('status')).textContent).toBe(
      'Nothing was imported: 1 row needs fixing first.',
    );
    expect(within(s).getByRole('group', { name: 'Not added' }).textContent).toContain(
      'Row 3: "broken" is not a valid email address',
    );
    upload(within(s).getByLabelText('Import CSV'), 'email\nada@acme.example\nbo@acme.example\n', 'dnc.csv');
    await within(s).findByText('Added 2 addresses.');
    fireEvent.change(within(s).getByLabelText('Search the list'), { target: { value: 'bo@' } });
    expect(within(s).getAllByTestId('dnc-entry')).toHaveLength(1);
    expect(within(s).getByText('1 of 2')).toBeTruthy();
    fireEvent.click(within(s).getByRole('button', { name: 'Remove bo@acme.example' }));
    await within(s).findByText('No address matches.');
    fireEvent.click(within(s).getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(t.saved).toHaveLength(1));
    expect(t.saved[0]!.name).toBe('do-not-contact.csv');
    expect(t.saved[0]!.text.split('\r\n')).toEqual([
      'email,reason,added,note',
      'ada@acme.example,manual,2026-03-02T10:00:00.000Z,',
    ]);
  });
});

describe('the do-not-contact list and the recipient’s own requests', () => {
  it('offers no Remove for an unsubscribe or a complaint: it says only an admin can lift it', async () => {
    const t = await renderPage();
    const s = section('Do-not-contact list');
    await within(s).findByText('Nobody is on the list.');
    await t.db.suppressions.bulkPut([
      { email: 'gone@acme.example', reason: 'unsubscribed', at: NOW },
      { email: 'angry@acme.example', reason: 'spam_complaint', at: NOW },
    ]);
    upload(within(s).getByLabelText('Import CSV'), 'email\nada@acme.example\n', 'dnc.csv');
    await within(s).findByText('Added 1 address.');
    expect(within(s).getAllByTestId('dnc-entry')).toHaveLength(3);
    expect(within(s).getByRole('button', { name: 'Remove ada@acme.example' })).toBeTruthy();
    for (const email of ['gone@acme.example', 'angry@acme.example']) {
      expect(within(s).queryByRole('button', { name: `Remove ${email}` })).toBeNull();
      const entry = within(s)
        .getAllByTestId('dnc-entry')
        .find((li) => li.textContent?.includes(email))!;
      expect(entry.textContent).toContain('only a team admin can lift it');
    }
  });
});

describe('importing contacts', () => {
  const CSV = [
    'Email,First name,Company,LinkedIn,Industry',
    'ada@acme.example,Ada,Acme,,Robotics',
    'bad-address,Bo,Acme,,',
    'cy@other.example,Cy,Other,,',
  ].join('\n');

  it('guesses the mapping, previews the rows, and reports imported and rejected rows', async () => {
    const t = await renderPage();
    const s = section('Import contacts');
    upload(within(s).getByLabelText('CSV file'), CSV);
    const mapping = await within(s).findByLabelText('Imports as: Email');
    expect((mapping as HTMLSelectElement).value).toBe('email');
    expect((within(s).getByLabelText('Imports as: Industry') as HTMLSelectElement).value).toBe(
      'custom:Industry',
    );
    expect(within(s).getByText('Preview: first 3 of 3 rows')).toBeTruthy();
    expect(within(s).getByRole('cell', { name: 'bad-address' })).toBeTruthy();
    fireEvent.click(within(s).getByRole('button', { name: 'Import 3 rows' }));
    const report = await within(s).findByTestId('import-report');
    expect(report.textContent).toContain('2Imported');
    expect(within(report).getByRole('group', { name: 'Rejected rows' }).textContent).toContain(
      'Row 3: email: is not a valid email address',
    );
    expect(await t.db.contacts.where('email').equals('ada@acme.example').first()).toMatchObject({
      firstName: 'Ada',
      custom: { Industry: 'Robotics' },
    });
  });

  it('skips existing contacts or updates them, as chosen', async () => {
    const t = await renderPage();
    await t.db.contacts.put({ id: 'old', email: 'ada@acme.example', firstName: 'A.', custom: {} });
    const s = section('Import contacts');
    upload(within(s).getByLabelText('CSV file'), CSV);
    fireEvent.click(await within(s).findByRole('button', { name: 'Import 3 rows' }));
    expect((await within(s).findByTestId('import-report')).textContent).toContain('1Skipped duplicates');
    expect((await t.db.contacts.get('old'))?.firstName).toBe('A.');
    fireEvent.click(within(s).getByRole('radio', { name: 'Update the contact' }));
    fireEvent.click(within(s).getByRole('button', { name: 'Import 3 rows' }));
    await waitFor(async () => expect((await t.db.contacts.get('old'))?.firstName).toBe('Ada'));
    // Cy came in with the first import, so both rows with a known email now update.
    expect(within(s).getByTestId('import-report').textContent).toContain('2Updated');
  });

  it('cannot import until a column is mapped to Email', async () => {
    await renderPage();
    const s = section('Import contacts');
    upload(within(s).getByLabelText('CSV file'), CSV);
    fireEvent.change(await within(s).findByLabelText('Imports as: Email'), { target: { value: '' } });
    expect((within(s).getByRole('button', { name: 'Import 3 rows' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(within(s).getByText('Map one column to Email to import.')).toBeTruthy();
    fireEvent.change(within(s).getByLabelText('Imports as: Industry'), { target: { value: 'email' } });
    expect((within(s).getByRole('button', { name: 'Import 3 rows' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
  });
});

describe('your data', () => {
  it('exports every table as JSON without tokens', async () => {
    const t = await renderPage();
    await t.db.meta.put({ key: 'syncToken', value: 'tok-123' });
    await t.db.suppressions.put({ email: 'ada@acme.example', reason: 'manual', at: NOW });
    fireEvent.click(within(section('Your data')).getByRole('button', { name: 'Export all data (JSON)' }));
    await waitFor(() => expect(t.saved).toHaveLength(1));
    expect(t.saved[0]!.name).toBe('threadline-export-2026-03-02.json');
    expect(JSON.parse(t.saved[0]!.text).tables.suppressions).toHaveLength(1);
    expect(t.saved[0]!.text).not.toContain('tok-123');
  });

  it('deletes everything only after the rep types the confirmation, disconnecting the mailboxes', async () => {
    const t = await renderPage();
    await t.db.contacts.put({ id: 'c', email: 'ada@acme.example', custom: {} });
    const s = section('Your data');
    const button = within(s).getByRole('button', { name: 'Delete everything' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(within(s).getByLabelText('Type DELETE to confirm'), { target: { value: 'delete' } });
    expect(button.disabled).toBe(true);
    fireEvent.change(within(s).getByLabelText('Type DELETE to confirm'), { target: { value: 'DELETE' } });
    fireEvent.click(button);
    await within(section('Your data')).findByText('All data was deleted and sending stopped.');
    expect(await t.db.contacts.count()).toBe(0);
    expect(await screen.findByTestId('no-accounts')).toBeTruthy();
  });
});
