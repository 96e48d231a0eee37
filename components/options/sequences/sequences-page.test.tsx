import { act, cleanup, configure, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ThreadlineDb } from '../../../lib/db/database';
import { saveRep } from '../../../lib/db/settings';
import { SequenceSchema, type SequenceInput } from '../../../lib/domain/sequence';
import { createSequencesStore } from '../../../lib/options-ports/sequences';
import { seriousViolations } from '../../testing/axe';
import { SequencesPage } from './sequences-page';

const NOW = Date.parse('2026-03-02T09:30:00Z'); // Monday
const REP = { email: 'sam@seller.example', name: 'Sam Rep', timeZone: 'Europe/London' };
let n = 0;

async function setUp(sequences: SequenceInput[] = []) {
  const db = new ThreadlineDb(`sequences-page-${n++}`);
  await saveRep(db, REP);
  for (const q of sequences) await db.sequences.put(SequenceSchema.parse(q));
  // happy-dom's DOMPurify does not sanitise; the real one is checked in the e2e test.
  const port = createSequencesStore(db, { now: () => NOW, timeZone: 'Europe/London', sanitize: (h) => h });
  const routes: string[] = [];
  const view = (rest: string[]) => (
    <SequencesPage port={port} rest={rest} navigate={(h) => routes.push(h)} now={() => NOW} />
  );
  const result = render(view([]));
  return { db, port, routes, result, show: (rest: string[]) => result.rerender(view(rest)) };
}

const email = (id: string, subject: string, body = '<p>Hi {{contact.firstName | "there"}}</p>') => ({
  id,
  type: 'auto_email' as const,
  delay: { value: id === 'e1' ? 0 : 2, unit: 'business_days' as const },
  subject,
  body,
});
const intro: SequenceInput = {
  id: 'seq-intro',
  name: 'Intro',
  ownerId: REP.email,
  steps: [email('e1', 'Quick question, {{contact.firstName}}'), email('e2', '')],
  updatedAt: 1,
};

afterEach(cleanup);
// Waiting budget, not a speed claim: the page loads through IndexedDB (fake-indexeddb here) and, on a
// machine shared with other runs, the builder can take more than testing-library's default 1 s to appear.
// How fast the pages are is measured by the UI bench (npm run bench:ui), never asserted here.
const WAIT = 10_000;
configure({ asyncUtilTimeout: WAIT });

describe('the sequences list', () => {
  it('says what to do first when there is no sequence', async () => {
    const { routes } = await setUp();
    const empty = await screen.findByTestId('sequences-empty');
    expect(within(empty).getByRole('heading').textContent).toBe('Create your first sequence');
    fireEvent.click(within(empty).getByRole('button', { name: 'Create your first sequence' }));
    expect(routes).toEqual(['#/sequences/new']);
  });

  it('lists sequences with owner and sharing, finds them by name, duplicates, shares and archives them', async () => {
    const { result } = await setUp([
      intro,
      { ...intro, id: 'seq-team', name: 'Team renewal', ownerId: 'lee@seller.example', sharing: 'team' },
    ]);
    await screen.findByRole('link', { name: 'Intro' });
    const row = (name: string) => screen.getByRole('link', { name }).closest('tr')!;
    expect(within(row('Team renewal')).getByText('lee@seller.example')).toBeTruthy();
    expect(within(row('Team renewal')).getByText('Team')).toBeTruthy();
    expect(within(row('Intro')).getByText('You')).toBeTruthy();
    expect(within(row('Intro')).getByText('Private')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Search sequences'), { target: { value: 'renew' } });
    expect(screen.queryByRole('link', { name: 'Intro' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Search sequences'), { target: { value: '' } });

    fireEvent.click(screen.getByRole('button', { name: 'Duplicate "Intro"' }));
    await screen.findByRole('link', { name: 'Copy of Intro' });
    fireEvent.click(screen.getByRole('button', { name: 'Share "Intro" with the team' }));
    await screen.findByRole('button', { name: 'Make "Intro" private' });
    fireEvent.click(screen.getByRole('button', { name: 'Archive "Intro"' }));
    await expect.poll(() => screen.queryByRole('link', { name: 'Intro' }), { timeout: WAIT }).toBeNull();
    fireEvent.click(screen.getByLabelText('Show archived'));
    expect(within(row('Intro')).getByText('Archived')).toBeTruthy();
    expect(await seriousViolations(result.container)).toEqual([]);
  });
});

describe('the sequence builder', () => {
  it('adds a step of every kind, reorders and removes them, and saves to the database', async () => {
    const { db, show, routes, result } = await setUp();
    show(['new']);
    fireEvent.change(await screen.findByLabelText('Sequence name'), {
      target: { value: 'Webinar follow-up' },
    });
    fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'Thanks for joining' } });
    for (const kind of ['Manual email', 'Call', 'LinkedIn', 'To-do'])
      fireEvent.click(screen.getByRole('button', { name: `Add: ${kind}` }));
    const kinds = () => screen.getAllByTestId('step').map((li) => li.getAttribute('data-step-type'));
    expect(kinds()).toEqual(['auto_email', 'manual_email', 'call', 'linkedin', 'todo']);

    fireEvent.click(screen.getByRole('button', { name: 'Move step 5 up' }));
    expect(kinds()).toEqual(['auto_email', 'manual_email', 'call', 'todo', 'linkedin']);
    // The focus stays on the moved step's button, so a keyboard user can keep moving it.
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Move step 4 up');
    fireEvent.click(screen.getByRole('button', { name: 'Remove step 2' }));
    expect(kinds()).toEqual(['auto_email', 'call', 'todo', 'linkedin']);
    fireEvent.click(screen.getByRole('button', { name: 'Undo remove' }));
    expect(kinds()).toEqual(['auto_email', 'manual_email', 'call', 'todo', 'linkedin']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove step 2' }));

    // The call step (expanded when added) gets a title, a priority and a script.
    fireEvent.click(screen.getByRole('button', { name: /Step 2 · Call/ }));
    fireEvent.change(screen.getByLabelText('Task title'), { target: { value: 'Call about the webinar' } });
    fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'high' } });
    fireEvent.change(screen.getByLabelText('Call script'), { target: { value: 'Ask what they liked.' } });
    fireEvent.click(screen.getByRole('button', { name: /Step 4 · LinkedIn/ }));
    fireEvent.change(screen.getByLabelText('LinkedIn action'), { target: { value: 'message' } });
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Good to meet you' } });
    expect(await seriousViolations(result.container)).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Save sequence' }));
    await expect.poll(() => routes.at(-1) ?? '', { timeout: WAIT }).toMatch(/^#\/sequences\/[\w-]+$/);
    const saved = (await db.sequences.toArray())[0]!;
    expect(saved).toMatchObject({ name: 'Webinar follow-up', ownerId: REP.email, updatedAt: NOW });
    expect(saved.steps.map((x) => x.type)).toEqual(['auto_email', 'call', 'todo', 'linkedin']);
    expect(saved.steps[1]).toMatchObject({
      title: 'Call about the webinar',
      priority: 'high',
      callScript: 'Ask what they liked.',
    });
    expect(saved.steps[3]).toMatchObject({ action: 'message', message: 'Good to meet you' });
    // The page reopens the builder under the new id, still saying it was saved.
    show([saved.id]);
    expect((await screen.findByRole('status')).textContent).toBe('Saved.');
  });

  it('names the step and field of every problem, next to the field and in a summary, and refuses to save', async () => {
    const { db, show } = await setUp([intro]);
    show(['seq-intro']);
    const subject = await screen.findByDisplayValue('Intro');
    fireEvent.change(subject, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: /Step 1 · Automatic email/ }));
    fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'Hi {{contact.frstName}}' } });
    fireEvent.click(screen.getByRole('button', { name: /Step 2 · Automatic email/ }));
    fireEvent.change(screen.getByLabelText('Wait'), { target: { value: '400' } });
    fireEvent.change(screen.getByLabelText('Send window ends'), { target: { value: '07:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save sequence' }));

    const summary = await screen.findByRole('alert');
    const lines = within(summary)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(lines).toEqual([
      'Name: Give the sequence a name.',
      'Step 1 · Subject: Unknown token {{contact.frstName}}.',
      'Step 2 · Wait: Enter a whole number from 0 to 365.',
      'Settings · Send window ends: The send window must end after it starts.',
    ]);
    expect(
      screen.getByText('Enter a whole number from 0 to 365.', { selector: '.tl-seq-field-error' }),
    ).toBeTruthy();
    expect(screen.getByLabelText('Wait').getAttribute('aria-invalid')).toBe('true');
    // Nothing was written, and nothing typed was lost.
    expect((await db.sequences.get('seq-intro'))?.name).toBe('Intro');
    expect((screen.getByLabelText('Wait') as HTMLInputElement).value).toBe('400');
  });

  it('asks for a subject on the first email', async () => {
    const { show } = await setUp();
    show(['new']);
    fireEvent.change(await screen.findByLabelText('Sequence name'), { target: { value: 'X' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save sequence' }));
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain(
      'Step 1 · Subject: The first email needs a subject (follow-ups reply in its thread).',
    );
  });

  it('previews the email for a contact with tokens filled, and inserts a token with a fallback at the cursor', async () => {
    const { show } = await setUp([intro]);
    show(['seq-intro']);
    fireEvent.click(await screen.findByRole('button', { name: /Step 1 · Automatic email/ }));
    const preview = screen.getByTestId('email-preview');
    expect(preview.textContent).toContain('Quick question, Jordan');
    expect(preview.textContent).toContain('Hi Jordan');

    const subject = screen.getByLabelText('Subject') as HTMLInputElement;
    fireEvent.focus(subject);
    subject.setSelectionRange(0, 0);
    fireEvent.change(screen.getByLabelText('Token'), { target: { value: 'company.name' } });
    fireEvent.change(screen.getByLabelText('Fallback if empty'), { target: { value: 'your team' } });
    fireEvent.click(screen.getByRole('button', { name: 'Insert token' }));
    expect(subject.value).toBe('{{company.name | "your team"}}Quick question, {{contact.firstName}}');
    expect(preview.textContent).toContain('Northwind TradersQuick question, Jordan');
  });

  it('shows when each step really happens, on the contact clock and on the rep clock', async () => {
    const { show } = await setUp([intro]);
    show(['seq-intro']);
    const schedule = await screen.findByTestId('schedule-preview');
    fireEvent.change(within(schedule).getByLabelText("Contact's time zone"), {
      target: { value: 'America/New_York' },
    });
    fireEvent.change(within(schedule).getByLabelText('Enrolled at (your clock)'), {
      target: { value: '2026-03-06T10:00' }, // Friday 10:00 London = 05:00 New York, before the window
    });
    const rows = within(schedule)
      .getAllByTestId('schedule-row')
      .map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['Fri 6 Mar, 08:00 (America/New_York)', 'Fri 6 Mar, 13:00 (Europe/London)'],
      // Two business days after Friday 08:00 is Tuesday 08:00.
      ['Tue 10 Mar, 08:00 (America/New_York)', 'Tue 10 Mar, 12:00 (Europe/London)'],
    ]);
  });

  it('opens a stored sequence whose call step has no call script (written before the field existed)', async () => {
    const { db, show } = await setUp([
      { ...intro, steps: [...intro.steps, { id: 'c1', type: 'call', delay: { value: 1, unit: 'days' } }] },
    ]);
    const stored = (await db.sequences.get('seq-intro'))!;
    await db.sequences.put({
      ...stored,
      steps: stored.steps.map((st) => {
        if (st.type !== 'call') return st;
        const { callScript: _left, ...old } = st;
        return old as typeof st;
      }),
    });
    show(['seq-intro']);
    expect(await screen.findByTestId('schedule-preview')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save sequence' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says how many active enrollments an edit touches, and refuses to remove a step they already did', async () => {
    const { db, show } = await setUp([intro]);
    await db.enrollments.put({
      id: 'en1',
      sequenceId: 'seq-intro',
      contactId: 'c1',
      mailbox: REP.email,
      status: 'active',
      enrolledAt: 0,
      stepIndex: 1,
      edits: {},
      messageIds: [],
      failures: 0,
      version: 0,
    });
    show(['seq-intro']);
    expect((await screen.findByTestId('impact')).textContent).toContain('Saving changes 1 active enrollment');
    fireEvent.click(screen.getByRole('button', { name: 'Remove step 1' }));
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('Step 1: 1 active enrollment has already done this step');
    fireEvent.click(screen.getByRole('button', { name: 'Save sequence' }));
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect((await db.sequences.get('seq-intro'))?.steps).toHaveLength(2);
  });

  it('stays light with 30 steps: only the step being edited mounts its editor', async () => {
    const steps = Array.from({ length: 30 }, (_, i) => email(`e${i + 1}`, `Email ${i + 1}`));
    const { show } = await setUp([{ ...intro, steps }]);
    show(['seq-intro']);
    await screen.findAllByTestId('step');
    expect(screen.getAllByTestId('step')).toHaveLength(30);
    expect(screen.queryAllByTestId('body-editor')).toHaveLength(0);
    expect(screen.queryAllByLabelText(/^Subject/)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: /Step 17 · Automatic email/ }));
    // Light means structural: one step's editor and fields are mounted, the other 29 are summaries (how fast
    // that is belongs to the UI bench, not to a timed assertion here).
    const editors = () => screen.getAllByTestId('body-editor');
    expect(editors()).toHaveLength(1);
    expect(document.getElementById('seq-step-panel-e17')?.contains(editors()[0]!)).toBe(true);
    fireEvent.change(screen.getByLabelText(/^Subject/), { target: { value: 'Changed' } });
    expect((screen.getByLabelText(/^Subject/) as HTMLInputElement).value).toBe('Changed');
    expect(editors()).toHaveLength(1);
    expect(screen.getAllByLabelText(/^Subject/)).toHaveLength(1);
    expect(screen.getAllByTestId('step')).toHaveLength(30);
  });
});
