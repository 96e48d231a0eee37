import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seriousViolations } from '../testing/axe';
import { ThreadPanel, type Participant } from './thread-panel';

// Monday 9 March 2026, 6:00 in New York (EDT since 8 March).
const now = Date.parse('2026-03-09T10:00:00Z');
const repTimeZone = 'America/New_York';

const people: Participant[] = [
  { name: 'Nia Okafor', email: 'nia@acme.example', state: { kind: 'not_enrolled' } },
  { email: 'liam@brit.example', state: { kind: 'not_enrolled' } },
  {
    name: 'Ava Stone',
    email: 'ava@stone.example',
    state: {
      kind: 'active',
      enrollmentId: 'e-ava',
      sequenceName: 'Q1 outbound',
      stepIndex: 1,
      stepCount: 4,
      stepType: 'auto_email',
      nextAt: Date.parse('2026-03-12T13:00:00Z'),
    },
  },
  {
    name: 'Oli Brand',
    email: 'oli@brand.example',
    state: {
      kind: 'paused',
      enrollmentId: 'e-oli',
      sequenceName: 'Q1 outbound',
      stepIndex: 1,
      stepCount: 4,
      stepType: 'auto_email',
      reason: 'needs_attention',
      detail: 'Step 2: no value for {{contact.firstName}}',
    },
  },
  {
    name: 'Sia Park',
    email: 'sia@oz.example',
    state: {
      kind: 'paused',
      enrollmentId: 'e-sia',
      sequenceName: 'Renewals',
      stepIndex: 2,
      stepCount: 3,
      stepType: 'call',
      reason: 'out_of_office',
      until: Date.parse('2026-03-16T13:00:00Z'),
    },
  },
  {
    name: 'Kav Rao',
    email: 'kav@bharat.example',
    state: {
      kind: 'finished',
      enrollmentId: 'e-kav',
      sequenceName: 'Q1 outbound',
      endedAt: now - 86_400_000,
    },
  },
  {
    name: 'Bo Reed',
    email: 'bo@reed.example',
    state: { kind: 'unenrolled', enrollmentId: 'e-bo', sequenceName: 'Q1 outbound', reason: 'replied' },
  },
  {
    name: 'Cy Gone',
    email: 'cy@gone.example',
    state: { kind: 'unenrolled', enrollmentId: 'e-cy', sequenceName: 'Q1 outbound', reason: 'bounced' },
  },
];

function setup(participants: Participant[] = people) {
  const callbacks = {
    onEnroll: vi.fn(),
    onPause: vi.fn(),
    onResume: vi.fn(),
    onUnenroll: vi.fn(),
    onMarkMeeting: vi.fn(),
    onSendNow: vi.fn(),
  };
  const view = render(
    <ThreadPanel participants={participants} now={now} repTimeZone={repTimeZone} {...callbacks} />,
  );
  return { ...callbacks, ...view };
}

const row = (name: string) => screen.getByRole('listitem', { name });

afterEach(cleanup);

describe('ThreadPanel', () => {
  it('shows a person who is not enrolled with an Enroll button', async () => {
    const { onEnroll } = setup();
    const nia = row('Nia Okafor');
    expect(within(nia).getByText('nia@acme.example')).toBeTruthy();
    expect(within(nia).getByText('Not in a sequence')).toBeTruthy();
    fireEvent.click(within(nia).getByRole('button', { name: 'Enroll: Nia Okafor' }));
    expect(onEnroll).toHaveBeenCalledWith(['nia@acme.example']);
  });

  it('names a person without a display name by their address', () => {
    setup();
    expect(row('liam@brit.example')).toBeTruthy();
  });

  it('shows an active enrollment: sequence, step n of m with its kind and when, in the rep’s time zone', async () => {
    const { onPause, onSendNow, onMarkMeeting } = setup();
    const ava = row('Ava Stone');
    expect(within(ava).getByText('Q1 outbound')).toBeTruthy();
    // 13:00 UTC on Thursday is 9:00 in New York.
    expect(within(ava).getByText('Email 2 of 4 · Thu 9:00')).toBeTruthy();
    fireEvent.click(within(ava).getByRole('button', { name: 'Pause: Ava Stone' }));
    fireEvent.click(within(ava).getByRole('button', { name: 'Send now: Ava Stone' }));
    fireEvent.click(within(ava).getByRole('button', { name: 'Meeting booked: Ava Stone' }));
    expect(onPause).toHaveBeenCalledWith('e-ava');
    expect(onSendNow).toHaveBeenCalledWith('e-ava');
    expect(onMarkMeeting).toHaveBeenCalledWith('e-ava');
  });

  it('reads the next step time on the rep’s clock, not the browser’s', () => {
    const ava = people[2]!;
    if (ava.state.kind !== 'active') throw new Error('the sample changed');
    const participants: Participant[] = [
      { ...ava, state: { ...ava.state, nextAt: Date.parse('2026-03-10T08:00:00Z') } },
    ];
    setup(participants);
    expect(screen.getByText('Email 2 of 4 · Tomorrow 4:00')).toBeTruthy();
    cleanup();
    render(
      <ThreadPanel
        participants={participants}
        now={now}
        repTimeZone="Asia/Kolkata"
        onEnroll={vi.fn()}
        onPause={vi.fn()}
        onResume={vi.fn()}
        onUnenroll={vi.fn()}
        onMarkMeeting={vi.fn()}
        onSendNow={vi.fn()}
      />,
    );
    expect(screen.getByText('Email 2 of 4 · Tomorrow 13:30')).toBeTruthy();
  });

  it('says when an active sequence waits for a task, and offers no Send now', () => {
    setup([
      {
        name: 'Tia',
        email: 'tia@t.example',
        state: {
          kind: 'active',
          enrollmentId: 'e-tia',
          sequenceName: 'Calls',
          stepIndex: 2,
          stepCount: 3,
          stepType: 'call',
          waitingForTask: true,
        },
      },
    ]);
    expect(screen.getByText('Call 3 of 3 · waiting in your task queue')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Send now/ })).toBeNull();
  });

  it('shows a paused enrollment that needs attention with the detail, and resumes it', async () => {
    const { onResume } = setup();
    const oli = row('Oli Brand');
    expect(within(oli).getByText('Paused')).toBeTruthy();
    expect(within(oli).getByText(/Needs your attention/)).toBeTruthy();
    expect(within(oli).getByText('Step 2: no value for {{contact.firstName}}')).toBeTruthy();
    fireEvent.click(within(oli).getByRole('button', { name: 'Resume: Oli Brand' }));
    expect(onResume).toHaveBeenCalledWith('e-oli');
    expect(within(oli).queryByRole('button', { name: /Pause/ })).toBeNull();
  });

  it('shows a message that could not be read, with a link that opens it in the mail client', () => {
    setup([
      {
        name: 'Ada Lovelace',
        email: 'ada@acme.example',
        state: {
          kind: 'paused',
          enrollmentId: 'e-ada',
          sequenceName: 'Q1 outbound',
          stepIndex: 1,
          stepCount: 4,
          stepType: 'auto_email',
          reason: 'needs_attention',
          detail: 'A message from Ada could not be read: open it',
          attention: {
            kind: 'unreadable_message',
            detail: 'A message from Ada could not be read: open it',
            providerMessageId: '18c2f0a1b2c3d4e5',
            from: 'ada@acme.example',
            openUrl: 'https://mail.google.com/mail/u/0/#all/18c2f0a1b2c3d4e5',
          },
        },
      },
    ]);
    const ada = row('Ada Lovelace');
    expect(within(ada).getByText('A message from Ada could not be read: open it')).toBeTruthy();
    expect(within(ada).getByRole('link', { name: 'Open the message' }).getAttribute('href')).toBe(
      'https://mail.google.com/mail/u/0/#all/18c2f0a1b2c3d4e5',
    );
    expect(within(ada).getByRole('button', { name: /Resume/ })).toBeTruthy();
  });

  it('shows an out-of-office pause with its return date', () => {
    setup();
    expect(within(row('Sia Park')).getByText(/Out of office until Mon 16 Mar/)).toBeTruthy();
  });

  it('shows a manual pause', () => {
    setup([
      {
        name: 'Max',
        email: 'max@m.example',
        state: {
          kind: 'paused',
          enrollmentId: 'e-max',
          sequenceName: 'S',
          stepIndex: 0,
          stepCount: 2,
          stepType: 'auto_email',
          reason: 'manual',
        },
      },
    ]);
    expect(screen.getByText('Paused by you · Stopped before Email 1 of 2')).toBeTruthy();
  });

  it('shows finished and unenrolled people with the reason, without enrollment actions', () => {
    setup();
    expect(within(row('Kav Rao')).getByText('Finished every step · Yesterday')).toBeTruthy();
    expect(within(row('Bo Reed')).getByText('They replied')).toBeTruthy();
    expect(within(row('Cy Gone')).getByText('Email bounced')).toBeTruthy();
    for (const name of ['Kav Rao', 'Bo Reed', 'Cy Gone'])
      expect(within(row(name)).queryByRole('button', { name: /Pause|Resume|Unenroll/ })).toBeNull();
  });

  it.each([
    ['meeting_booked', 'Meeting booked'],
    ['unsubscribed', 'Asked to be removed'],
    ['manual', 'Unenrolled by you'],
    ['company_replied', 'Someone at their company replied'],
    ['error', 'Stopped by an error'],
  ] as const)('explains an unenrollment because of %s', (reason, text) => {
    setup([
      {
        name: 'X',
        email: 'x@x.example',
        state: { kind: 'unenrolled', enrollmentId: 'e', sequenceName: 'S', reason },
      },
    ]);
    expect(screen.getByText(text)).toBeTruthy();
  });

  it('never offers to re-enroll an address a bounce put on the do-not-contact list', () => {
    setup();
    expect(within(row('Cy Gone')).queryByRole('checkbox')).toBeNull();
    expect(within(row('Bo Reed')).getByRole('checkbox', { name: 'Select Bo Reed to enroll' })).toBeTruthy();
  });

  it('offers to enroll again after a bounce that left the address usable (a full mailbox)', () => {
    setup([
      {
        name: 'Fay Full',
        email: 'fay@full.example',
        state: {
          kind: 'unenrolled',
          enrollmentId: 'e-fay',
          sequenceName: 'Q1 outbound',
          reason: 'bounced',
          detail:
            'Bounced: the mailbox is full (4.2.2); the address was not suppressed; you can try again later',
          suppressed: false,
        },
      },
    ]);
    const fay = row('Fay Full');
    expect(within(fay).getByText(/the mailbox is full/)).toBeTruthy();
    expect(within(fay).getByRole('checkbox', { name: 'Select Fay Full to enroll' })).toBeTruthy();
  });

  it('asks before unenrolling, and Keep returns focus to Unenroll', async () => {
    const { onUnenroll } = setup();
    const ava = row('Ava Stone');
    fireEvent.click(within(ava).getByRole('button', { name: 'Unenroll: Ava Stone' }));
    expect(within(ava).getByText('Stop Q1 outbound for Ava Stone?')).toBeTruthy();
    fireEvent.click(within(ava).getByRole('button', { name: 'Keep' }));
    expect(onUnenroll).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(within(ava).getByRole('button', { name: 'Unenroll: Ava Stone' }));
    fireEvent.click(within(ava).getByRole('button', { name: 'Unenroll: Ava Stone' }));
    fireEvent.click(within(ava).getByRole('button', { name: 'Unenroll: Ava Stone' }));
    expect(onUnenroll).toHaveBeenCalledWith('e-ava');
  });

  it('enrolls several ticked people at once', () => {
    const { onEnroll } = setup();
    const enrollSelected = screen.getByRole('button', { name: 'Enroll selected' });
    expect((enrollSelected as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Nia Okafor to enroll' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select liam@brit.example to enroll' }));
    fireEvent.click(screen.getByRole('button', { name: 'Enroll 2 contacts' }));
    expect(onEnroll).toHaveBeenCalledWith(['nia@acme.example', 'liam@brit.example']);
  });

  it('says so when the thread has nobody outside the company', () => {
    setup([]);
    expect(screen.getByText('No one outside your company is in this thread.')).toBeTruthy();
  });

  it('has no serious or critical accessibility violations', async () => {
    const { container } = setup();
    expect(await seriousViolations(container)).toEqual([]);
    fireEvent.click(within(row('Ava Stone')).getByRole('button', { name: 'Unenroll: Ava Stone' }));
    expect(await seriousViolations(container)).toEqual([]);
  });
});
