import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Contact } from '../../lib/domain/contact';
import type { Task } from '../../lib/domain/task';
import { seriousViolations } from '../testing/axe';
import { TaskQueue, type QueueItem } from './task-queue';

// Monday 9 March 2026, 8:00 in Los Angeles (PDT since 8 March).
const now = Date.parse('2026-03-09T15:00:00Z');
const LA = 'America/Los_Angeles';
const HOUR = 3_600_000;

const nia: Contact = {
  id: 'c-nia',
  email: 'nia@acme.example',
  firstName: 'Nia',
  lastName: 'Okafor',
  company: 'Acme',
  phone: '+1 (415) 555-0101',
  custom: {},
};
const liam: Contact = {
  id: 'c-liam',
  email: 'liam@brit.example',
  firstName: 'Liam',
  company: 'Brit',
  custom: {},
};
const ava: Contact = {
  id: 'c-ava',
  email: 'ava@stone.example',
  firstName: 'Ava',
  company: 'Stone',
  linkedinUrl: 'https://www.linkedin.com/in/ava-stone',
  custom: {},
};

function task(id: string, type: Task['type'], dueAt: string, extra: Partial<Task> = {}): Task {
  return {
    id,
    enrollmentId: `e-${id}`,
    sequenceId: 'seq-outbound',
    contactId: 'c',
    stepId: 's',
    stepIndex: 2,
    type,
    title: '',
    notes: '',
    priority: 'medium',
    createdAt: 0,
    dueAt: Date.parse(dueAt),
    blocking: true,
    status: 'open',
    ...extra,
  };
}

const items: QueueItem[] = [
  {
    task: task('t-call', 'call', '2026-03-06T17:00:00Z', {
      notes: 'Ask about the hiring plan',
      priority: 'high',
    }),
    contact: nia,
    sequenceName: 'Q1 outbound',
    stepLabel: 'Step 3: Call',
    callScript: 'Hi Nia, it’s Sam from Threadline…',
  },
  {
    task: task('t-mail', 'manual_email', '2026-03-09T16:00:00Z'),
    contact: liam,
    sequenceName: 'Q1 outbound',
    stepLabel: 'Step 2: Manual email',
  },
  {
    task: task('t-li-search', 'linkedin', '2026-03-09T20:00:00Z', { sequenceId: 'seq-renewals' }),
    contact: liam,
    sequenceName: 'Renewals',
    stepLabel: 'Step 1: LinkedIn',
  },
  {
    // 22:00 on Monday in Los Angeles, already Tuesday in UTC: still today for this rep.
    task: task('t-todo', 'todo', '2026-03-10T05:00:00Z', { title: 'Send the case study' }),
    contact: ava,
    sequenceName: 'Q1 outbound',
    stepLabel: 'Step 4: To-do',
  },
  {
    task: task('t-li-profile', 'linkedin', '2026-03-11T17:00:00Z', { sequenceId: 'seq-renewals' }),
    contact: ava,
    sequenceName: 'Renewals',
    stepLabel: 'Step 2: LinkedIn',
  },
  {
    task: task('t-done', 'todo', '2026-03-09T16:00:00Z', { status: 'completed' }),
    contact: ava,
    sequenceName: 'Q1 outbound',
    stepLabel: 'Step 1: To-do',
  },
];

function setup(tasks: QueueItem[] = items, opts: { now?: number; tz?: string } = {}) {
  const cb = {
    onComplete: vi.fn(),
    onSkip: vi.fn(),
    onSnooze: vi.fn(),
    onReschedule: vi.fn(),
    onOpenEmail: vi.fn(),
  };
  const view = render(<TaskQueue tasks={tasks} now={opts.now ?? now} repTimeZone={opts.tz ?? LA} {...cb} />);
  return { ...cb, ...view };
}

const card = (name: RegExp | string) => screen.getByRole('article', { name });
const headings = () => screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
const taskTitles = () =>
  screen
    .queryAllByRole('article')
    .map((a) => a.getAttribute('aria-labelledby') && a.querySelector('h3')!.textContent);

afterEach(cleanup);

describe('TaskQueue', () => {
  it('groups open tasks into overdue, today and upcoming on the rep’s clock, with counts', () => {
    setup();
    expect(headings()).toEqual([
      'Overdue (1)',
      'Call: Nia Okafor',
      'Today (3)',
      'Email: Liam',
      'LinkedIn: Liam',
      'To-do: Ava',
      'Upcoming (1)',
      'LinkedIn: Ava',
    ]);
    expect(screen.getByRole('navigation', { name: 'Jump to section' }).textContent).toContain('Today (3)');
  });

  it('moves the day boundary with the rep’s time zone', () => {
    setup(items, { tz: 'Europe/London' });
    // Monday 15:00 in London: the 05:00 UTC Tuesday to-do is tomorrow.
    expect(headings()).toContain('Today (2)');
    expect(headings()).toContain('Upcoming (2)');
  });

  it('filters by type and by sequence, and shows counts per type', () => {
    setup();
    const type = screen.getByRole('combobox', { name: 'Type' });
    expect([...type.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'All types',
      'Calls (1)',
      'LinkedIn (2)',
      'Emails (1)',
      'To-dos (1)',
    ]);
    fireEvent.change(type, { target: { value: 'linkedin' } });
    expect(taskTitles()).toEqual(['LinkedIn: Liam', 'LinkedIn: Ava']);
    expect(headings()).toContain('Overdue (0)');
    fireEvent.change(type, { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Sequence' }), {
      target: { value: 'seq-outbound' },
    });
    expect(taskTitles()).toEqual(['Call: Nia Okafor', 'Email: Liam', 'To-do: Ava']);
    fireEvent.change(type, { target: { value: 'linkedin' } });
    expect(screen.getByText('No task matches these filters.')).toBeTruthy();
  });

  it('shows a call with contact, company, sequence, step, due time, notes, a tel: link, the script, outcome and notes', () => {
    const { onComplete } = setup();
    const call = card('Call: Nia Okafor');
    expect(within(call).getByText('Acme')).toBeTruthy();
    expect(within(call).getByText('Q1 outbound · Step 3: Call')).toBeTruthy();
    expect(within(call).getByText('Due Fri 6 Mar 9:00')).toBeTruthy();
    expect(within(call).getByText('Ask about the hiring plan')).toBeTruthy();
    expect(within(call).getByText('High priority')).toBeTruthy();
    expect(within(call).getByRole('link', { name: 'Call +1 (415) 555-0101' }).getAttribute('href')).toBe(
      'tel:+14155550101',
    );
    expect(within(call).getByText('Call script')).toBeTruthy();
    expect(within(call).getByText('Hi Nia, it’s Sam from Threadline…')).toBeTruthy();
    const outcome = within(call).getByRole('combobox', { name: 'Outcome' });
    expect([...outcome.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'Choose…',
      'Connected',
      'Left voicemail',
      'No answer',
      'Wrong number',
    ]);
    fireEvent.change(outcome, { target: { value: 'left_voicemail' } });
    fireEvent.change(within(call).getByRole('textbox', { name: 'Call notes' }), {
      target: { value: ' Call back Thu ' },
    });
    fireEvent.click(within(call).getByRole('button', { name: 'Complete: Nia Okafor' }));
    expect(onComplete).toHaveBeenCalledWith('t-call', { outcome: 'left_voicemail', notes: 'Call back Thu' });
  });

  it('says when a call has no phone number', () => {
    setup([{ ...items[0]!, contact: { ...nia, phone: undefined } }]);
    expect(screen.getByText('No phone number on file.')).toBeTruthy();
  });

  it('links a LinkedIn task to the profile, or to a people search for name and company', () => {
    setup();
    const search = within(card('LinkedIn: Liam')).getByRole('link', {
      name: 'Search LinkedIn for Liam, Brit',
    });
    expect(search.getAttribute('href')).toBe(
      'https://www.linkedin.com/search/results/people/?keywords=Liam%20Brit',
    );
    expect(search.getAttribute('target')).toBe('_blank');
    expect(search.getAttribute('rel')).toContain('noopener');
    expect(
      within(card('LinkedIn: Ava')).getByRole('link', { name: 'Open LinkedIn profile' }).getAttribute('href'),
    ).toBe('https://www.linkedin.com/in/ava-stone');
  });

  it('opens a manual email instead of completing it', () => {
    const { onOpenEmail } = setup();
    const mail = card('Email: Liam');
    expect(within(mail).queryByRole('button', { name: /Complete/ })).toBeNull();
    fireEvent.click(within(mail).getByRole('button', { name: 'Open email: Liam' }));
    expect(onOpenEmail).toHaveBeenCalledWith('t-mail');
  });

  it('completes a to-do with no outcome, and skips', () => {
    const { onComplete, onSkip } = setup();
    const todo = card('To-do: Ava');
    expect(within(todo).getByText('Send the case study')).toBeTruthy();
    expect(within(todo).getByText('Due today 22:00')).toBeTruthy();
    fireEvent.click(within(todo).getByRole('button', { name: 'Complete: Ava' }));
    expect(onComplete).toHaveBeenCalledWith('t-todo', undefined);
    fireEvent.click(within(todo).getByRole('button', { name: 'Skip: Ava' }));
    expect(onSkip).toHaveBeenCalledWith('t-todo');
  });

  it.each([
    // Los Angeles, Monday 8:00 PDT.
    [LA, now, '2026-03-10T16:00:00Z', '2026-03-16T16:00:00Z'],
    // London, Monday 15:00 GMT.
    ['Europe/London', now, '2026-03-10T09:00:00Z', '2026-03-16T09:00:00Z'],
    // London on Sunday 29 March, the day summer time starts: Monday 9:00 is 8:00 UTC.
    ['Europe/London', Date.parse('2026-03-29T12:00:00Z'), '2026-03-30T08:00:00Z', '2026-03-30T08:00:00Z'],
    // Kolkata, already Monday evening; next Monday is a week on.
    ['Asia/Kolkata', now, '2026-03-10T03:30:00Z', '2026-03-16T03:30:00Z'],
  ])('snoozes in %s to an hour, tomorrow 9:00 and next Monday 9:00', (tz, at, tomorrow, monday) => {
    const { onSnooze } = setup([items[3]!], { tz, now: at });
    const todo = card('To-do: Ava');
    fireEvent.click(within(todo).getByRole('button', { name: 'Snooze: Ava' }));
    const choices = within(todo).getByRole('group', { name: 'Snooze: Ava' });
    fireEvent.click(within(choices).getByRole('button', { name: 'In 1 hour' }));
    fireEvent.click(within(choices).getByRole('button', { name: 'Tomorrow 9:00' }));
    fireEvent.click(within(choices).getByRole('button', { name: 'Next Monday 9:00' }));
    expect(onSnooze.mock.calls).toEqual([
      ['t-todo', at + HOUR],
      ['t-todo', Date.parse(tomorrow)],
      ['t-todo', Date.parse(monday)],
    ]);
  });

  it('reschedules to a date and time read on the rep’s clock', () => {
    const { onReschedule } = setup();
    const call = card('Call: Nia Okafor');
    fireEvent.click(within(call).getByRole('button', { name: 'Reschedule: Nia Okafor' }));
    const input = within(call).getByLabelText('New due time (America/Los Angeles)') as HTMLInputElement;
    // An overdue task is offered tomorrow 9:00.
    expect(input.value).toBe('2026-03-10T09:00');
    fireEvent.change(input, { target: { value: '2026-03-12T14:30' } });
    fireEvent.click(within(call).getByRole('button', { name: 'Save' }));
    expect(onReschedule).toHaveBeenCalledWith('t-call', Date.parse('2026-03-12T21:30:00Z'));
  });

  it('moves keyboard focus to the next task when one leaves the list', async () => {
    const { onComplete, rerender } = setup();
    fireEvent.click(within(card('Email: Liam')).getByRole('button', { name: 'Skip: Liam' }));
    fireEvent.click(within(card('LinkedIn: Liam')).getByRole('button', { name: 'Complete: Liam' }));
    expect(onComplete).toHaveBeenCalledWith('t-li-search', undefined);
    rerender(
      <TaskQueue
        tasks={items.filter((t) => t.task.id !== 't-li-search')}
        now={now}
        repTimeZone={LA}
        onComplete={onComplete}
        onSkip={vi.fn()}
        onSnooze={vi.fn()}
        onReschedule={vi.fn()}
        onOpenEmail={vi.fn()}
      />,
    );
    await act(() => new Promise((r) => requestAnimationFrame(r)));
    expect(document.activeElement).toBe(card('To-do: Ava'));
  });

  it('says so when there is nothing to do', () => {
    setup([]);
    expect(screen.getByText('No tasks. Enjoy the quiet.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Start queue' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('steps through overdue and today’s tasks from the keyboard in start-queue mode', () => {
    const { onComplete, onSkip, onOpenEmail } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Start queue (4)' }));
    const run = screen.getByRole('region', { name: 'Today’s queue' });
    expect(document.activeElement).toBe(run);
    // Shortcuts are on screen.
    expect(within(run).getByText('Keyboard shortcuts')).toBeTruthy();
    expect(
      within(run)
        .getAllByText(/^(C|S|N|P|Esc)$/)
        .map((k) => k.textContent),
    ).toEqual(['C', 'S', 'N', 'P', 'Esc']);
    expect(within(run).getByText('Task 1 of 4')).toBeTruthy();
    expect(within(run).getByRole('article', { name: 'Call: Nia Okafor' })).toBeTruthy();

    // Typing in the notes does not trigger shortcuts.
    const notes = within(run).getByRole('textbox', { name: 'Call notes' });
    fireEvent.change(notes, { target: { value: 'Spoke briefly' } });
    fireEvent.keyDown(notes, { key: 'c' });
    expect(onComplete).not.toHaveBeenCalled();

    fireEvent.keyDown(run, { key: 'c' });
    expect(onComplete).toHaveBeenCalledWith('t-call', { notes: 'Spoke briefly' });
    expect(within(run).getByText('Task 2 of 4')).toBeTruthy();
    // On a manual email, C opens it.
    expect(within(run).getByRole('list').textContent).toContain('C Open email');
    fireEvent.keyDown(run, { key: 'C' });
    expect(onOpenEmail).toHaveBeenCalledWith('t-mail');
    fireEvent.keyDown(run, { key: 'p' });
    expect(within(run).getByText('Email opened')).toBeTruthy();
    // Already handled in this run: C does nothing the second time.
    fireEvent.keyDown(run, { key: 'c' });
    expect(onOpenEmail).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(run, { key: 'n' });
    fireEvent.keyDown(run, { key: 'n' });
    expect(within(run).getByText('Task 4 of 4')).toBeTruthy();
    fireEvent.keyDown(run, { key: 'p' });
    expect(within(run).getByRole('article', { name: 'LinkedIn: Liam' })).toBeTruthy();
    fireEvent.keyDown(run, { key: 's' });
    expect(onSkip).toHaveBeenCalledWith('t-li-search');
    fireEvent.click(within(run).getByRole('button', { name: 'Complete: Ava' }));
    expect(within(run).getByText('Queue done: 4 tasks handled.')).toBeTruthy();
  });

  it('leaves start-queue mode with Esc', async () => {
    setup();
    fireEvent.click(screen.getByRole('button', { name: 'Start queue (4)' }));
    fireEvent.keyDown(screen.getByRole('region', { name: 'Today’s queue' }), { key: 'Escape' });
    expect(screen.queryByRole('region', { name: 'Today’s queue' })).toBeNull();
    await act(() => new Promise((r) => requestAnimationFrame(r)));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start queue (4)' }));
  });

  it('shows the first screen with every section’s count while the rest of the queue loads, then the whole queue', async () => {
    const cb = {
      onComplete: vi.fn(),
      onSkip: vi.fn(),
      onSnooze: vi.fn(),
      onReschedule: vi.fn(),
      onOpenEmail: vi.fn(),
    };
    const first = items.slice(0, 2);
    const { rerender, container } = render(
      <TaskQueue
        tasks={first}
        partial={{ overdue: 1, today: 3, upcoming: 1 }}
        now={now}
        repTimeZone={LA}
        {...cb}
      />,
    );
    expect(headings()).toEqual([
      'Overdue (1)',
      'Call: Nia Okafor',
      'Today (3)',
      'Email: Liam',
      'Upcoming (1)',
    ]);
    expect(screen.getByRole('status').textContent).toBe('Showing the first 2 of 5 tasks; loading the rest…');
    expect(screen.queryByText('Nothing here.')).toBeNull();
    expect((screen.getByRole('button', { name: 'Start queue (4)' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect((screen.getByRole('combobox', { name: 'Type' }) as HTMLSelectElement).disabled).toBe(true);
    expect(await seriousViolations(container)).toEqual([]);
    // The first cards already work.
    fireEvent.click(screen.getByRole('button', { name: 'Complete: Nia Okafor' }));
    expect(cb.onComplete).toHaveBeenCalledWith('t-call', undefined);

    rerender(<TaskQueue tasks={items} now={now} repTimeZone={LA} {...cb} />);
    expect(headings()).toContain('LinkedIn: Ava');
    expect(screen.queryByText(/loading the rest/)).toBeNull();
    expect((screen.getByRole('button', { name: 'Start queue (4)' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
    expect((screen.getByRole('combobox', { name: 'Type' }) as HTMLSelectElement).disabled).toBe(false);
  });

  it('renders 2,000 tasks through a virtualised list', () => {
    const many: QueueItem[] = Array.from({ length: 2000 }, (_, i) => ({
      task: task(
        `t${i}`,
        (['call', 'linkedin', 'manual_email', 'todo'] as const)[i % 4]!,
        '2026-03-12T17:00:00Z',
      ),
      contact: { ...nia, id: `c${i}`, firstName: `Contact ${i}` },
      sequenceName: 'Q1 outbound',
      stepLabel: 'Step 3',
    }));
    const started = performance.now();
    setup(many);
    const elapsed = performance.now() - started;
    expect(screen.getByRole('heading', { name: 'Upcoming (2000)' })).toBeTruthy();
    const rendered = screen.getAllByRole('article').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(30);
    // Generous: happy-dom is slow, and the cores are shared; a full render of 2,000 cards takes many seconds.
    expect(elapsed).toBeLessThan(3000);
  });

  it('has no serious or critical accessibility violations, in the list and in start-queue mode', async () => {
    const { container } = setup();
    fireEvent.click(within(card('Call: Nia Okafor')).getByRole('button', { name: 'Snooze: Nia Okafor' }));
    fireEvent.click(within(card('To-do: Ava')).getByRole('button', { name: 'Reschedule: Ava' }));
    expect(await seriousViolations(container)).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Start queue (4)' }));
    expect(await seriousViolations(container)).toEqual([]);
  });
});
