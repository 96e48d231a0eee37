import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedThread } from '../../lib/hosts/types';
import { askCrmLookup, type CrmLookupReceived } from '../../lib/protocol/crm-lookup-received';
import { listen, type Runtime, type Sender } from '../../lib/protocol/endpoints';
import type { Contact } from '../../lib/domain/contact';
import { seriousViolations } from '../testing/axe';
import { crmDealFor } from './crm-deal-line';
import { withCrmDetails } from './crm-enrich';
import { clearCrmLookupCache } from './crm-lookup-cache';
import { CrmPeople } from './crm-people';
import { CrmSection } from './crm-section';

afterEach(() => {
  cleanup();
  clearCrmLookupCache();
});

const expansion = {
  id: '2001',
  name: 'Acme expansion',
  url: 'https://app.hubspot.com/contacts/24681357/record/0-3/2001',
  pipeline: { id: 'default', label: 'Sales Pipeline' },
  stage: { id: 'qualifiedtobuy', label: 'Qualified To Buy' },
};
const found: CrmLookupReceived = {
  state: 'found',
  people: [
    {
      email: 'ada@acme.example',
      contact: {
        id: '1001',
        url: 'https://app.hubspot.com/contacts/24681357/record/0-1/1001',
        name: 'Ada Lovelace',
        firstName: 'Ada',
        lastName: 'Lovelace',
        owner: { id: '7', name: 'Sam Rivera', email: 'sam@threadline.example' },
        lifecycleStage: 'opportunity',
        lastActivityAt: Date.parse('2026-11-30T10:00:00Z'),
        company: 'Acme Analytics',
        jobTitle: 'Head of Data',
        timeZone: 'Europe/London',
        deals: [expansion],
      },
    },
    { email: 'zoe@else.example', contact: null },
  ],
};

/** The background as the mail page reaches it: listen() with the sender checks, a handler answering `answer`. */
function runtimeAnswering(
  answer: () => Promise<CrmLookupReceived>,
  asked: string[][] = [],
  from = 'https://outlook.office.com/mail/',
): Runtime {
  let listener: ((m: unknown, s: Sender) => Promise<unknown> | undefined) | undefined;
  const rt: Runtime = {
    id: 'ext',
    sendMessage: async (m) => listener?.(m, { id: 'ext', url: from }),
    onMessage: { addListener: (cb) => void (listener = cb) },
  };
  listen(
    rt,
    {
      'crmLookup.people': async ({ emails }) => {
        asked.push(emails);
        return answer();
      },
    },
    (url) => url.startsWith('https://outlook.office.com/'),
  );
  return rt;
}

const thread: OpenedThread = {
  id: 't1',
  subject: 'Pilot',
  me: 'sam@threadline.example',
  participants: [
    { email: 'sam@threadline.example', name: 'Sam Rivera' },
    { email: 'ada@acme.example', name: 'Ada Lovelace' },
    { email: 'zoe@else.example' },
  ],
} as OpenedThread;

describe('CrmPeople', () => {
  it('shows each HubSpot contact with owner, lifecycle stage, last activity, a link to the record and open deals', async () => {
    const { container } = render(<CrmPeople answer={found} />);
    const link = screen.getByRole('link', { name: 'Ada Lovelace in HubSpot (opens a new tab)' });
    expect(link.getAttribute('href')).toBe('https://app.hubspot.com/contacts/24681357/record/0-1/1001');
    expect(link.getAttribute('rel')).toContain('noopener');
    const item = link.closest('li')!;
    expect(item.textContent).toContain('Head of Data, Acme Analytics');
    expect(item.textContent).toContain('Sam Rivera');
    expect(item.textContent).toContain('Opportunity');
    expect(item.textContent).toContain('30 Nov 2026');
    const deals = within(item).getByRole('list', { name: 'Open deals: Ada Lovelace' });
    expect(within(deals).getByRole('link', { name: 'Acme expansion' }).getAttribute('href')).toBe(
      expansion.url,
    );
    expect(deals.textContent).toContain('Qualified To Buy (Sales Pipeline)');
    expect(screen.getByText(/zoe@else\.example/).textContent).toContain('not in HubSpot');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('shows a loading line while waiting, a small line on a failure, and nothing when not connected or nobody is known', () => {
    const { rerender, container } = render(<CrmPeople answer={undefined} />);
    expect(screen.getByRole('status').textContent).toContain('HubSpot');
    rerender(<CrmPeople answer={{ state: 'error', message: 'HubSpot did not answer the lookup' }} />);
    expect(screen.getByRole('note').textContent).toBe(
      'HubSpot could not be read: HubSpot did not answer the lookup',
    );
    for (const [quiet, marker] of [
      [{ state: 'not_connected' }, 'not_connected'],
      [{ state: 'no_backend' }, 'no_backend'],
      [{ state: 'found', people: [{ email: 'zoe@else.example', contact: null }] }, 'none'],
    ] as [CrmLookupReceived, string][]) {
      rerender(<CrmPeople answer={quiet} />);
      expect(container.textContent).toBe('');
      expect(container.querySelector('[data-crm]')).toBeNull();
      expect(container.querySelector('[data-crm-state]')?.getAttribute('data-crm-state')).toBe(marker);
    }
  });
});

describe('CrmSection', () => {
  it('asks the background about the thread’s external people only, then fills in', async () => {
    const asked: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const rt = runtimeAnswering(async () => {
      await gate;
      return found;
    }, asked);
    render(<CrmSection runtime={rt} thread={thread} />);
    expect(screen.getByRole('status').textContent).toContain('HubSpot');
    release();
    await screen.findByRole('link', { name: /Ada Lovelace in HubSpot/ });
    expect(asked).toEqual([['ada@acme.example', 'zoe@else.example']]);
  });

  it('stays quiet when the team has no CRM connected', async () => {
    const asked: string[][] = [];
    const { container } = render(
      <CrmSection
        runtime={runtimeAnswering(async () => ({ state: 'not_connected' }), asked)}
        thread={thread}
      />,
    );
    await waitFor(() => expect(asked).toHaveLength(1));
    await waitFor(() => expect(container.textContent).toBe(''));
  });
});

describe('crmLookup.people from a page', () => {
  it('is refused from a page that is not a mail host, and asks about no more than a thread’s people', async () => {
    const asked: string[][] = [];
    const evil = runtimeAnswering(async () => found, asked, 'https://evil.example/');
    await expect(askCrmLookup(evil, ['ada@acme.example'])).rejects.toThrow(/refused/);
    const mail = runtimeAnswering(async () => found, asked);
    const many = Array.from({ length: 21 }, (_, i) => `p${i}@acme.example`);
    await expect(askCrmLookup(mail, many)).rejects.toThrow(/emails/);
    await expect(askCrmLookup(mail, ['not an address'])).rejects.toThrow(/emails/);
    expect(asked).toEqual([]);
  });
});

describe('the HubSpot deal of a Threadline deal', () => {
  it('is the linked one, else the open deal of the same name, else the participants’ only open deal', () => {
    const other = { ...expansion, id: '2002', name: 'Acme renewal' };
    const two: CrmLookupReceived = {
      state: 'found',
      people: [{ ...found.people[0]!, contact: { ...found.people[0]!.contact!, deals: [expansion, other] } }],
    };
    expect(crmDealFor({ name: 'x', hubspotDealId: '2002' }, two)?.id).toBe('2002');
    expect(crmDealFor({ name: 'x', hubspotDealId: '9999' }, two)).toBeUndefined();
    expect(crmDealFor({ name: 'ACME expansion' }, two)?.id).toBe('2001');
    expect(crmDealFor({ name: 'Something else' }, two)).toBeUndefined();
    expect(crmDealFor({ name: 'Something else' }, found)?.id).toBe('2001');
    expect(crmDealFor({ name: 'Acme' }, { state: 'not_connected' })).toBeUndefined();
    // Written from a Threadline deal: it is that deal's, never another's.
    const written: CrmLookupReceived = {
      state: 'found',
      people: [
        {
          ...found.people[0]!,
          contact: { ...found.people[0]!.contact!, deals: [{ ...expansion, threadlineDealId: 'deal-7' }] },
        },
      ],
    };
    expect(crmDealFor({ id: 'deal-7', name: 'Renamed in Threadline' }, written)?.id).toBe('2001');
    expect(crmDealFor({ id: 'deal-8', name: 'Acme expansion' }, written)).toBeUndefined();
  });
});

describe('enrolling with HubSpot’s details', () => {
  it('fills the first name, company, title and time zone the thread lacks, and never overwrites what it shows', () => {
    const contacts: Contact[] = [
      { id: 'c1', email: 'ada@acme.example', company: 'Acme (from the thread)', custom: {} },
      { id: 'c2', email: 'zoe@else.example', custom: {} },
    ];
    const out = withCrmDetails(contacts, found);
    expect(out.contacts[0]).toEqual({
      id: 'c1',
      email: 'ada@acme.example',
      firstName: 'Ada',
      company: 'Acme (from the thread)',
      title: 'Head of Data',
      timeZone: 'Europe/London',
      custom: {},
    });
    expect(out.contacts[1]).toEqual(contacts[1]);
    expect(out.filled).toEqual([{ email: 'ada@acme.example', fields: ['firstName', 'title', 'timeZone'] }]);
    expect(withCrmDetails(contacts, { state: 'not_connected' })).toEqual({ contacts, filled: [] });
  });
});
