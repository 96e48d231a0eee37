// @vitest-environment jsdom
// (the edited email is sanitised with DOMPurify, which needs a real DOM implementation)
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Contact } from '../../lib/domain/contact';
import type { Rep } from '../../lib/domain/rep';
import { StepSchema, type StepInput } from '../../lib/domain/sequence';
import { seriousViolations } from '../testing/axe';
import { EnrollFlow, type SequenceChoice } from './enroll-flow';

// Monday 9 March 2026, 10:00 in London.
const now = Date.parse('2026-03-09T10:00:00Z');
const rep: Rep = { email: 'sam@seller.example', name: 'Sam Rep', timeZone: 'Europe/London' };
const step = (s: StepInput) => StepSchema.parse(s);
const delay = { value: 2, unit: 'business_days' } as const;

const outbound: SequenceChoice = {
  id: 'seq-outbound',
  name: 'Q1 outbound',
  updatedAt: 1,
  lastUsedAt: now - 86_400_000,
  steps: [
    step({
      id: 's1',
      type: 'auto_email',
      delay: { value: 0, unit: 'minutes' },
      subject: 'Quick question, {{contact.firstName}}',
      body: '<p>Hi {{contact.firstName}},</p><p>Saw {{company.name | "your team"}} is hiring.</p>',
    }),
    step({ id: 's2', type: 'auto_email', delay, body: '<p>Bumping this up, {{contact.firstName}}.</p>' }),
    step({ id: 's3', type: 'call', delay, title: 'Call them' }),
    step({
      id: 's4',
      type: 'auto_email',
      delay,
      subject: 'Last note',
      body: '<p>Last note from {{rep.firstName}}.</p>',
    }),
  ],
};
const renewals: SequenceChoice = {
  id: 'seq-renewals',
  name: 'Renewals',
  updatedAt: 5,
  steps: [
    step({ id: 'r1', type: 'auto_email', delay, subject: 'Renewal', body: '<p>Hello {{contact.title}}</p>' }),
  ],
};
const webinar: SequenceChoice = {
  id: 'seq-webinar',
  name: 'Webinar follow-up',
  updatedAt: 9,
  lastUsedAt: now - 3_600_000,
  steps: [
    step({ id: 'w1', type: 'auto_email', delay, subject: 'Thanks', body: '<p>Thanks for coming.</p>' }),
  ],
};

const nia: Contact = {
  id: 'c-nia',
  email: 'nia@acme.example',
  firstName: 'Nia',
  company: 'Acme',
  custom: {},
};
const anon: Contact = { id: 'c-anon', email: 'info@brit.example', custom: {} };

function setup(
  contacts: Contact[] = [nia],
  sequences = [outbound, renewals, webinar],
  thread?: { subject: string },
) {
  const onSubmit = vi.fn();
  const onCancel = vi.fn();
  const view = render(
    <EnrollFlow
      sequences={sequences}
      contacts={contacts}
      rep={rep}
      now={now}
      {...(thread ? { thread } : {})}
      onSubmit={onSubmit}
      onCancel={onCancel}
    />,
  );
  return { onSubmit, onCancel, ...view };
}

const submitButton = () => screen.getByRole('button', { name: /^Enroll \d+ contacts?/ }) as HTMLButtonElement;
const chooseOutbound = () => fireEvent.click(screen.getByRole('radio', { name: /^Q1 outbound/ }));
const preview = (n: number) => screen.getByRole('article', { name: new RegExp(`^Step ${n} ·`) });

afterEach(cleanup);

describe('EnrollFlow', () => {
  it('lists sequences recent first and preselects the most recently used', () => {
    setup();
    const names = within(screen.getByRole('group', { name: 'Sequence' }))
      .getAllByRole('radio')
      .map((r) => r.closest('label')!.textContent);
    expect(names.map((n) => n!.split(/\d+ steps?/)[0])).toEqual([
      'Webinar follow-up',
      'Q1 outbound',
      'Renewals',
    ]);
    expect((screen.getByRole('radio', { name: /^Webinar follow-up/ }) as HTMLInputElement).checked).toBe(
      true,
    );
  });

  it('chooses the most recent sequence when the list arrives after the first render', () => {
    const { rerender, onSubmit, onCancel } = setup([nia], []);
    expect(screen.getByText('You have no sequences yet. Create one in Threadline’s options.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Choose a sequence first.');
    rerender(
      <EnrollFlow
        sequences={[outbound, webinar]}
        contacts={[nia]}
        rep={rep}
        now={now}
        onSubmit={onSubmit}
        onCancel={onCancel}
      />,
    );
    expect((screen.getByRole('radio', { name: /^Webinar follow-up/ }) as HTMLInputElement).checked).toBe(
      true,
    );
    expect(submitButton().disabled).toBe(false);
  });

  it('filters sequences with the search box', () => {
    setup();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search sequences' }), {
      target: { value: 'renew' },
    });
    expect(within(screen.getByRole('group', { name: 'Sequence' })).getAllByRole('radio')).toHaveLength(1);
    expect(screen.getByRole('radio', { name: /^Renewals/ })).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search sequences' }), {
      target: { value: 'zzz' },
    });
    expect(screen.getByText('No sequence matches “zzz”.')).toBeTruthy();
  });

  it('renders every email step for the contact with tokens filled, follow-ups in the same thread', () => {
    setup();
    chooseOutbound();
    expect(within(preview(1)).getByText('Quick question, Nia')).toBeTruthy();
    expect(within(preview(1)).getByText('Hi Nia,')).toBeTruthy();
    expect(within(preview(1)).getByText('Saw Acme is hiring.')).toBeTruthy();
    expect(within(preview(2)).getByText('Bumping this up, Nia.')).toBeTruthy();
    expect(within(preview(2)).getByText('Re: Quick question, Nia')).toBeTruthy();
    expect(within(preview(4)).getByText('Last note from Sam.')).toBeTruthy();
    // The call step is a task, not an email: nothing to preview.
    expect(screen.queryByRole('article', { name: /^Step 3/ })).toBeNull();
  });

  it('starts from a later step: earlier emails are neither shown nor checked', () => {
    setup([anon]);
    chooseOutbound();
    fireEvent.change(screen.getByRole('combobox', { name: 'Start at step' }), { target: { value: '3' } });
    expect(screen.queryByRole('article', { name: /^Step 1/ })).toBeNull();
    expect(preview(4)).toBeTruthy();
    expect(submitButton().disabled).toBe(false);
  });

  it('blocks a missing first name, says how to fix it, and filling it in unblocks', () => {
    const { onSubmit } = setup([anon]);
    chooseOutbound();
    expect(submitButton().disabled).toBe(true);
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Step 1: no value for {{contact.firstName}}.');
    expect(status.textContent).toContain('Fill in First name below, or give the token a fallback');
    expect(status.textContent).toContain('Step 2: no value for {{contact.firstName}}.');
    // Never "Hi ,": the gap is shown as the token itself.
    expect(within(preview(1)).getAllByText('{{contact.firstName}}', { selector: 'mark' })).toHaveLength(2);
    expect(preview(1).textContent).toContain('Hi {{contact.firstName}},');
    expect(preview(1).textContent).not.toContain('Hi ,');
    // The fallback for company is used; nothing is flagged for it.
    expect(within(preview(1)).getByText('Saw your team is hiring.')).toBeTruthy();

    fireEvent.change(screen.getByRole('textbox', { name: 'First name' }), { target: { value: 'Liam' } });
    expect(submitButton().disabled).toBe(false);
    expect(within(preview(1)).getByText('Hi Liam,')).toBeTruthy();
    // The field stays on screen while the rep types.
    expect(screen.getByRole('textbox', { name: 'First name' })).toBeTruthy();
    fireEvent.click(submitButton());
    expect(onSubmit).toHaveBeenCalledWith({
      sequenceId: 'seq-outbound',
      startStep: 0,
      edits: {},
      contacts: [{ id: 'c-anon', email: 'info@brit.example', firstName: 'Liam', custom: {} }],
    });
  });

  it('flags tokens no field can fill and tokens nobody knows, with the fallback fix', () => {
    setup(
      [nia],
      [
        renewals,
        {
          ...webinar,
          steps: [step({ id: 'x', type: 'auto_email', delay, subject: 'Hi', body: '{{contact.frstName}}' })],
        },
      ],
    );
    fireEvent.click(screen.getByRole('radio', { name: /^Renewals/ }));
    expect(screen.getByRole('status').textContent).toContain(
      'Step 1: no value for {{contact.title}}. Give the token a fallback in the email: {{contact.title | "there"}}.',
    );
    fireEvent.click(screen.getByRole('radio', { name: /^Webinar/ }));
    expect(screen.getByRole('status').textContent).toContain(
      '{{contact.frstName}} is not a field Threadline knows',
    );
  });

  it('edits an email for this enrollment, which can also fix a missing token, and submits the edit', () => {
    const { onSubmit } = setup([anon]);
    chooseOutbound();
    fireEvent.click(within(preview(1)).getByRole('button', { name: 'Edit for this enrollment: step 1' }));
    // Opening the editor alone changes nothing.
    expect(within(preview(1)).queryByText('Edited')).toBeNull();
    const subject = within(preview(1)).getByRole('textbox', { name: 'Subject' });
    const body = within(preview(1)).getByRole('textbox', { name: 'Body' });
    expect((body as HTMLTextAreaElement).value).toContain('Hi {{contact.firstName}},');
    fireEvent.change(subject, { target: { value: 'Hello from Sam' } });
    fireEvent.change(body, {
      target: { value: '<p>Hi {{contact.firstName | "there"}}, loved your talk.</p>' },
    });
    expect(within(preview(1)).getByText('Hi there, loved your talk.')).toBeTruthy();
    expect(within(preview(1)).getByText('Edited')).toBeTruthy();
    fireEvent.click(within(preview(1)).getByRole('button', { name: 'Done: step 1' }));
    // Step 2 still needs the first name; a fallback there too unblocks.
    expect(submitButton().disabled).toBe(true);
    fireEvent.click(within(preview(2)).getByRole('button', { name: 'Edit for this enrollment: step 2' }));
    fireEvent.change(within(preview(2)).getByRole('textbox', { name: 'Body' }), {
      target: { value: 'Bumping this.<img src="x" onerror="alert(1)"><script>alert(2)</script>' },
    });
    expect(submitButton().disabled).toBe(false);
    fireEvent.click(submitButton());
    // What the rep typed is sanitised like a template before it is kept and sent.
    expect(onSubmit.mock.calls[0]![0].edits).toEqual({
      s1: { subject: 'Hello from Sam', body: '<p>Hi {{contact.firstName | "there"}}, loved your talk.</p>' },
      s2: { subject: '', body: 'Bumping this.<img src="x">' },
    });
  });

  it('puts an edit back to the sequence’s text', () => {
    setup();
    chooseOutbound();
    fireEvent.click(within(preview(1)).getByRole('button', { name: 'Edit for this enrollment: step 1' }));
    fireEvent.change(within(preview(1)).getByRole('textbox', { name: 'Body' }), {
      target: { value: 'Changed' },
    });
    fireEvent.click(within(preview(1)).getByRole('button', { name: 'Use the sequence’s text' }));
    expect(within(preview(1)).getByText('Hi Nia,')).toBeTruthy();
    expect(within(preview(1)).queryByText('Edited')).toBeNull();
  });

  it('starts at a date and time read on the rep’s clock', () => {
    const { onSubmit } = setup();
    chooseOutbound();
    fireEvent.click(screen.getByRole('radio', { name: 'At a date and time' }));
    const input = screen.getByLabelText('Date and time (Europe/London)') as HTMLInputElement;
    expect(input.value).toBe('2026-03-10T09:00');
    // 30 March is after the UK's change to summer time: 9:00 BST is 8:00 UTC.
    fireEvent.change(input, { target: { value: '2026-03-30T09:00' } });
    fireEvent.click(submitButton());
    expect(onSubmit.mock.calls[0]![0].startAt).toBe(Date.parse('2026-03-30T08:00:00Z'));
    fireEvent.change(input, { target: { value: '2026-03-01T09:00' } });
    expect(screen.getByRole('status').textContent).toContain('The start time is in the past.');
    expect(submitButton().disabled).toBe(true);
  });

  it('fills missing details (last name, company, time zone from the list) for several contacts', () => {
    const { onSubmit } = setup([nia, { ...anon, firstName: 'Liam' }]);
    chooseOutbound();
    expect(screen.getByRole('heading', { name: 'Enroll 2 contacts' })).toBeTruthy();
    const liam = screen.getByRole('group', { name: 'Details for Liam' });
    fireEvent.change(within(liam).getByRole('textbox', { name: 'Company' }), {
      target: { value: 'Brit Ltd' },
    });
    const zone = within(liam).getByRole('combobox', { name: 'Time zone' }) as HTMLInputElement;
    const options = [...document.getElementById(zone.getAttribute('list')!)!.querySelectorAll('option')].map(
      (o) => o.value,
    );
    expect(options).toContain('Europe/London');
    expect(options.length).toBeGreaterThan(300);
    fireEvent.change(zone, { target: { value: 'Europe/Lond' } });
    expect(submitButton().disabled).toBe(true);
    expect(within(liam).getByText('“Europe/Lond” is not a time zone. Pick one from the list.')).toBeTruthy();
    fireEvent.change(zone, { target: { value: 'Europe/London' } });
    // Preview another contact.
    fireEvent.change(screen.getByRole('combobox', { name: 'Preview for' }), { target: { value: 'c-anon' } });
    expect(within(preview(1)).getByText('Saw Brit Ltd is hiring.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Enroll 2 contacts in Q1 outbound' }));
    expect(onSubmit.mock.calls[0]![0].contacts[1]).toEqual({
      id: 'c-anon',
      email: 'info@brit.example',
      firstName: 'Liam',
      company: 'Brit Ltd',
      timeZone: 'Europe/London',
      custom: {},
    });
  });

  describe('opened from a thread', () => {
    const thread = { subject: 'Acme hiring plans' };
    const noSubject: SequenceChoice = {
      id: 'seq-bump',
      name: 'Bump',
      updatedAt: 1,
      lastUsedAt: now,
      steps: [step({ id: 'b1', type: 'auto_email', delay, subject: '', body: '<p>Any news?</p>' })],
    };

    it('replies in that thread: the first email and its follow-ups show the thread’s subject', () => {
      const { onSubmit } = setup([nia], [outbound], thread);
      const reply = screen.getByRole('checkbox', { name: 'Reply in this thread' }) as HTMLInputElement;
      expect(reply.checked).toBe(true);
      expect(within(preview(1)).getByText('Re: Acme hiring plans')).toBeTruthy();
      expect(within(preview(2)).getByText('Re: Acme hiring plans')).toBeTruthy();
      // A reply has no subject of its own to edit.
      fireEvent.click(within(preview(1)).getByRole('button', { name: 'Edit for this enrollment: step 1' }));
      expect(within(preview(1)).queryByRole('textbox', { name: 'Subject' })).toBeNull();
      fireEvent.click(submitButton());
      expect(onSubmit.mock.calls[0]![0]).toMatchObject({ sequenceId: 'seq-outbound', replyInThread: true });
    });

    it('needs no subject for a first email that replies, and asks for one when the rep starts a new email instead', () => {
      const { onSubmit } = setup([nia], [noSubject], thread);
      expect(submitButton().disabled).toBe(false);
      fireEvent.click(screen.getByRole('checkbox', { name: 'Reply in this thread' }));
      expect(within(preview(1)).queryByText('Re: Acme hiring plans')).toBeNull();
      expect(submitButton().disabled).toBe(true);
      expect(screen.getByRole('status').textContent).toContain('the first email needs a subject');
      fireEvent.click(screen.getByRole('checkbox', { name: 'Reply in this thread' }));
      fireEvent.click(submitButton());
      expect(onSubmit.mock.calls[0]![0].replyInThread).toBe(true);
    });

    it('sends a new email when the rep unticks the reply', () => {
      const { onSubmit } = setup([nia], [outbound], thread);
      fireEvent.click(screen.getByRole('checkbox', { name: 'Reply in this thread' }));
      expect(within(preview(1)).getByText('Quick question, Nia')).toBeTruthy();
      fireEvent.click(submitButton());
      expect(onSubmit.mock.calls[0]![0].replyInThread).toBeUndefined();
    });

    it('does not offer to reply when the sequence’s first email starts a conversation of its own', () => {
      const fresh: SequenceChoice = {
        ...noSubject,
        steps: [step({ ...outbound.steps[0]!, threadWithPrevious: false } as StepInput)],
      };
      setup([nia], [fresh], thread);
      expect(screen.queryByRole('checkbox', { name: 'Reply in this thread' })).toBeNull();
    });

    it('has no serious or critical accessibility violations', async () => {
      const { container } = setup([nia], [outbound], thread);
      expect(await seriousViolations(container)).toEqual([]);
    });
  });

  it('cancels', () => {
    const { onCancel } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalled();
  });

  it('has no serious or critical accessibility violations, blocked or editing', async () => {
    const { container } = setup([anon, nia]);
    chooseOutbound();
    fireEvent.click(screen.getByRole('radio', { name: 'At a date and time' }));
    fireEvent.click(within(preview(1)).getByRole('button', { name: 'Edit for this enrollment: step 1' }));
    expect(await seriousViolations(container)).toEqual([]);
  });
});
