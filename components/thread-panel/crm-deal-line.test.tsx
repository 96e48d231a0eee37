import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedThread } from '../../lib/hosts/types';
import type { CrmLookupReceived } from '../../lib/protocol/crm-lookup-received';
import { listen, type Runtime, type Sender } from '../../lib/protocol/endpoints';
import { CrmDealLine } from './crm-deal-line';
import { clearCrmLookupCache } from './crm-lookup-cache';

afterEach(() => {
  cleanup();
  clearCrmLookupCache();
});

/** The background as the mail page reaches it, answering the CRM lookup with `answer`. */
function runtimeAnswering(answer: CrmLookupReceived): Runtime {
  let listener: ((m: unknown, s: Sender) => Promise<unknown> | undefined) | undefined;
  const rt: Runtime = {
    id: 'ext',
    sendMessage: async (m) => listener?.(m, { id: 'ext', url: 'https://outlook.office.com/mail/' }),
    onMessage: { addListener: (cb) => void (listener = cb) },
  };
  listen(rt, { 'crmLookup.people': async () => answer }, (url) =>
    url.startsWith('https://outlook.office.com/'),
  );
  return rt;
}

const thread = {
  id: 't1',
  subject: 'Pilot',
  me: 'sam@threadline.example',
  participants: [
    { email: 'sam@threadline.example', name: 'Sam Rivera' },
    { email: 'ada@acme.example', name: 'Ada Lovelace' },
  ],
} as OpenedThread;

/** Ada has an open HubSpot deal of the same name (which the line would otherwise show). */
const found: CrmLookupReceived = {
  state: 'found',
  people: [
    {
      email: 'ada@acme.example',
      contact: {
        id: '1001',
        url: 'https://app.hubspot.com/contacts/24681357/record/0-1/1001',
        name: 'Ada Lovelace',
        deals: [
          {
            id: '2001',
            name: 'Acme',
            url: 'https://app.hubspot.com/contacts/24681357/record/0-3/2001',
            pipeline: { id: 'default', label: 'Sales Pipeline' },
            stage: { id: 'qualifiedtobuy', label: 'Qualified To Buy' },
          },
        ],
      },
    },
  ],
} as CrmLookupReceived;

describe('the deal card’s HubSpot line', () => {
  it('says a deal deleted in HubSpot was removed there, with the date, and links to nothing', async () => {
    const removedAt = Date.parse('2026-12-05T15:00:00Z');
    const { container } = render(
      <CrmDealLine
        runtime={runtimeAnswering(found)}
        thread={thread}
        deal={{ id: 'deal-1', name: 'Acme', crm: { id: '1018', removedAt } }}
      />,
    );
    expect(await screen.findByText(/Removed in HubSpot on 5 Dec 2026/)).toBeTruthy();
    await waitFor(() => expect(container.querySelector('a')).toBeNull());
  });

  it('shows the HubSpot deal’s stage with a link while it is there', async () => {
    render(
      <CrmDealLine
        runtime={runtimeAnswering(found)}
        thread={thread}
        deal={{ id: 'deal-1', name: 'Acme', crm: { id: '2001' } }}
      />,
    );
    expect((await screen.findByRole('link')).textContent).toBe('Qualified To Buy (Sales Pipeline)');
  });
});
