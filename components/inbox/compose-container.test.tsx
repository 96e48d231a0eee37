import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seriousViolations } from '@/components/testing/axe';
import type { Runtime } from '../../lib/protocol/endpoints';
import { ComposeContainer } from './compose-container';

const rep = { email: 'riley.chen@northwind.example', name: 'Riley Chen', timeZone: 'Europe/London' };
const sequence = {
  id: 'seq-1',
  name: 'Intro',
  updatedAt: 1,
  steps: [
    {
      id: 's1',
      type: 'auto_email',
      delay: { value: 0, unit: 'minutes' },
      subject: 'Hello {{contact.firstName | "there"}}',
      body: '<p>Hi</p>',
      threadWithPrevious: true,
      variants: [],
    },
  ],
};

/** The background, as far as the enroll flow asks it: sequences and contacts, then the enrollment report. */
function background() {
  const asked: { name: string; request: Record<string, unknown> }[] = [];
  const runtime: Runtime = {
    sendMessage: vi.fn(async (message: unknown) => {
      const { name, request } = message as { name: string; request: Record<string, unknown> };
      asked.push({ name, request });
      if (name === 'enroll.options') {
        const emails = request.emails as string[];
        return {
          ok: true,
          data: {
            sequences: [sequence],
            contacts: emails.map((email) => ({ id: `new:${email}`, email, custom: {} })),
            rep,
          },
        };
      }
      const contacts = request.contacts as { email: string }[];
      return {
        ok: true,
        data: {
          enrolled: contacts.map((c, i) => ({ email: c.email, enrollmentId: `e${i}`, contactId: `c${i}` })),
          rejected: [],
        },
      };
    }),
  } as unknown as Runtime;
  return { runtime, asked };
}

const recipients = [
  { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
  { email: 'ben.okafor@acme.example', name: 'Ben Okafor' },
  { email: 'priya.shah@northwind.example', name: 'Priya Shah' },
];

afterEach(cleanup);

describe('ComposeContainer', () => {
  it('enrolls the compose’s outside recipients, never the rep’s colleagues, and says so', async () => {
    const { runtime, asked } = background();
    const onClose = vi.fn();
    render(<ComposeContainer runtime={runtime} recipients={recipients} me={rep.email} onClose={onClose} />);
    const enroll = await screen.findByRole('button', { name: /^Enroll 2 contacts in Intro/ });
    expect(asked[0]).toEqual({
      name: 'enroll.options',
      request: { emails: ['ada.lovelace@acme.example', 'ben.okafor@acme.example'] },
    });
    // Composing a new email: there is no thread to reply in.
    expect(screen.queryByRole('checkbox', { name: 'Reply in this thread' })).toBeNull();
    fireEvent.click(enroll);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('2 contacts enrolled.'));
    const submitted = asked.find((a) => a.name === 'enroll.submit')!.request;
    expect(submitted).not.toHaveProperty('thread');
    expect(
      (submitted.contacts as { email: string; firstName?: string }[]).map((c) => [c.email, c.firstName]),
    ).toEqual([
      ['ada.lovelace@acme.example', 'Ada'],
      ['ben.okafor@acme.example', 'Ben'],
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('asks for recipients when the compose addresses nobody outside the company', () => {
    const { runtime, asked } = background();
    render(
      <ComposeContainer runtime={runtime} recipients={[recipients[2]!]} me={rep.email} onClose={() => {}} />,
    );
    expect(screen.getByText(/Add the people to enroll in To, Cc or Bcc first/)).toBeTruthy();
    expect(asked).toEqual([]);
  });

  it('cancelling closes the modal', async () => {
    const { runtime } = background();
    const onClose = vi.fn();
    render(<ComposeContainer runtime={runtime} recipients={recipients} me={rep.email} onClose={onClose} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('has no serious or critical accessibility violations', async () => {
    const { runtime } = background();
    const { container } = render(
      <ComposeContainer runtime={runtime} recipients={recipients} me={rep.email} onClose={() => {}} />,
    );
    await screen.findByRole('button', { name: /^Enroll 2 contacts/ });
    expect(await seriousViolations(container)).toEqual([]);
  });
});
