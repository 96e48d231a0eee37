// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { seriousViolations } from '@/components/testing/axe';
import type { Contact } from '../../lib/domain/contact';
import { StepSchema } from '../../lib/domain/sequence';
import type { Runtime } from '../../lib/protocol/endpoints';
import type { CrmLookupReceived } from '../../lib/protocol/crm-lookup-received';
import { ThreadContainer } from '../inbox/thread-container';

/**
 * Enrolling from a thread when HubSpot knows what the thread does not show: the first name, company, title and
 * time zone it filled in are in the form, editable, each marked as HubSpot's, and what the rep types wins.
 */

const now = Date.parse('2026-03-09T10:00:00Z');
const sequence = {
  id: 'seq-1',
  name: 'Intro',
  updatedAt: 1,
  lastUsedAt: now - 1000,
  steps: [
    StepSchema.parse({
      id: 's1',
      type: 'auto_email',
      delay: { value: 0, unit: 'minutes' },
      subject: 'Hi {{contact.firstName}}',
      body: '<p>Hi {{contact.firstName}}, how is {{company.name}}?</p>',
    }),
  ],
};
const ben: Contact = { id: 'c-ben', email: 'ben@okafor.example', lastName: 'Okafor', custom: {} };
const hubspot: CrmLookupReceived = {
  state: 'found',
  people: [
    {
      email: 'ben@okafor.example',
      contact: {
        id: '501',
        url: 'https://app.hubspot.com/contacts/1/record/0-1/501',
        name: 'Ben Okafor',
        firstName: 'Ben',
        company: 'Okafor Freight (old name)',
        jobTitle: 'Head of Ops',
        timeZone: 'Africa/Lagos',
        deals: [],
      },
    },
  ],
};

/** The background: the thread's state, the enroll options, HubSpot's answer; records what was submitted. */
function background() {
  const submitted: { contacts: Contact[] }[] = [];
  const runtime: Runtime = {
    id: 'ext',
    onMessage: { addListener: () => undefined },
    sendMessage: async (m) => {
      const { name, request } = m as { name: string; request: unknown };
      const ok = (data: unknown) => ({ ok: true, data });
      switch (name) {
        case 'thread.state':
          return ok({
            participants: [{ email: ben.email, name: 'Okafor', state: { kind: 'not_enrolled' } }],
          });
        case 'enroll.options':
          return ok({
            sequences: [sequence],
            contacts: [ben],
            rep: { email: 'sam@seller.example', name: 'Sam', timeZone: 'Europe/London' },
          });
        case 'crmLookup.people':
          return ok(hubspot);
        case 'enroll.submit':
          submitted.push(request as { contacts: Contact[] });
          return ok({ enrolled: [], rejected: [] });
        default:
          return { ok: false, error: `not in this test: ${name}` };
      }
    },
  };
  return { runtime, submitted };
}

afterEach(cleanup);

describe('enrolling with details HubSpot filled in', () => {
  it('shows them editable and marked “from HubSpot”, and the rep’s correction is what is enrolled', async () => {
    const bg = background();
    const { container } = render(
      <ThreadContainer
        runtime={bg.runtime}
        thread={{
          id: 't1',
          subject: '',
          participants: [{ email: ben.email, name: 'Okafor' }],
        }}
      />,
    );
    fireEvent.click(await screen.findByRole('button', { name: /^Enroll/ }));
    const details = await screen.findByRole('group', { name: /^Details for Ben Okafor/ });
    const company = within(details).getByRole('textbox', { name: 'Company' }) as HTMLInputElement;
    const title = within(details).getByRole('textbox', { name: 'Title' }) as HTMLInputElement;
    const zone = within(details).getByRole('combobox', { name: 'Time zone' }) as HTMLInputElement;
    const first = within(details).getByRole('textbox', { name: 'First name' }) as HTMLInputElement;
    expect([first.value, company.value, title.value, zone.value]).toEqual([
      'Ben',
      'Okafor Freight (old name)',
      'Head of Ops',
      'Africa/Lagos',
    ]);
    // Each says where its value came from (its description), the thread's own last name says nothing.
    for (const input of [first, company, title]) expect(input.getAttribute('aria-describedby')).toBeTruthy();
    const markOf = (input: HTMLInputElement) =>
      input
        .getAttribute('aria-describedby')!
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' ');
    expect(markOf(company)).toBe('from HubSpot');
    expect(markOf(zone)).toContain('from HubSpot');
    expect(within(details).queryByRole('textbox', { name: 'Last name' })).toBeNull();

    // The rep corrects the company; the mark says so, with what HubSpot has.
    fireEvent.change(company, { target: { value: 'Okafor Logistics' } });
    expect(markOf(company)).toBe('changed by you (HubSpot has “Okafor Freight (old name)”)');
    expect(markOf(title)).toBe('from HubSpot');
    expect(await seriousViolations(container)).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: /^Enroll 1 contact in Intro/ }));
    await waitFor(() => expect(bg.submitted).toHaveLength(1));
    expect(bg.submitted[0]!.contacts).toEqual([
      {
        id: 'c-ben',
        email: 'ben@okafor.example',
        firstName: 'Ben',
        lastName: 'Okafor',
        company: 'Okafor Logistics',
        title: 'Head of Ops',
        timeZone: 'Africa/Lagos',
        custom: {},
      },
    ]);
  });
});
